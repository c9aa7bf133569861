import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

/** A committed change to a blocker, as subscribers receive it. */
export interface BlockerChange {
  blockerId: string;
  action: string;
  actorId: string | null;
  at: Date;
}

/**
 * How committed changes reach the subscribers: in this process only, or through a broker to every
 * server instance. A transport hands each published change to `deliver` exactly once per instance,
 * the publishing instance included.
 */
export interface BlockerEventTransport {
  /** Begin delivering; called once at start, before any publish. */
  start(deliver: (change: BlockerChange) => void): Promise<void>;
  /** Send a change on its way; rejects when it could not be sent (the caller logs, nothing retries). */
  publish(change: BlockerChange): Promise<void>;
  /** Stop delivering and release connections; called once at shutdown. */
  close(): Promise<void>;
}

export const BLOCKER_EVENT_TRANSPORT = Symbol('BLOCKER_EVENT_TRANSPORT');

/** Changes that could not be sent are reported once, then counted for this long. */
const LOST_REPORT_MS = 10_000;

/** Without a broker: a change is delivered to this process's subscribers only. */
export class InProcessEventTransport implements BlockerEventTransport {
  private deliver: ((change: BlockerChange) => void) | null = null;

  start(deliver: (change: BlockerChange) => void): Promise<void> {
    this.deliver = deliver;
    return Promise.resolve();
  }

  publish(change: BlockerChange): Promise<void> {
    this.deliver?.(change);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.deliver = null;
    return Promise.resolve();
  }
}

/**
 * Where committed blocker changes are announced. Services publish through TransactionService.afterCommit
 * so nothing is announced that did not commit. The transport carries each change to the subscribers of
 * every instance; subscribers here listen to what the transport delivers, never to `publish` directly,
 * so a change reaches each of them once.
 */
@Injectable()
export class BlockerEvents implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BlockerEvents.name);
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private lostReport: NodeJS.Timeout | null = null;
  private lostCount = 0;

  constructor(@Inject(BLOCKER_EVENT_TRANSPORT) private readonly transport: BlockerEventTransport) {}

  async onModuleInit(): Promise<void> {
    await this.transport.start((change) => this.deliver(change));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.lostReport) clearTimeout(this.lostReport);
    this.emitter.removeAllListeners();
    await this.transport.close();
  }

  /**
   * Announce a committed change. Never waits for nor fails the caller: a mutation has already
   * committed, and a change the transport could not send is logged.
   */
  publish(change: BlockerChange): void {
    this.transport.publish(change).catch((error: unknown) => this.lost(change, error));
  }

  subscribe(listener: (change: BlockerChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** How many subscribers listen in this process (for tests and diagnostics). */
  get listenerCount(): number {
    return this.emitter.listenerCount('change');
  }

  /** Log a change that was not sent: the first at once, those that follow within a while as a count. */
  private lost(change: BlockerChange, error: unknown): void {
    if (this.lostReport !== null) {
      this.lostCount += 1;
      return;
    }
    this.logger.warn(
      `blocker event ${change.action} for ${change.blockerId} was not sent: ${(error as Error).message}`,
    );
    this.lostReport = setTimeout(() => {
      if (this.lostCount > 0) {
        this.logger.warn(
          `${this.lostCount} more blocker events were not sent in the last ${LOST_REPORT_MS / 1000} s`,
        );
      }
      this.lostReport = null;
      this.lostCount = 0;
    }, LOST_REPORT_MS).unref();
  }

  private deliver(change: BlockerChange): void {
    // One failing listener must not keep the change from the others.
    for (const listener of this.emitter.listeners('change') as Array<(change: BlockerChange) => void>) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`a blocker event listener failed: ${(error as Error).message}`);
      }
    }
  }
}
