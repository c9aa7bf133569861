import { Logger } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { BlockerChange, BlockerEventTransport } from './blocker-events';

/** How long start waits for the subscription before the server goes on without it (it keeps trying). */
const START_WAIT_MS = 3_000;
/** How long shutdown waits for pending publishes to be sent before it drops the connection. */
const QUIT_WAIT_MS = 2_000;

/** A change as it travels over Redis: JSON with the time as an ISO string. */
interface WireChange {
  v: 1;
  blockerId: string;
  action: string;
  actorId: string | null;
  at: string;
}

export function encodeChange(change: BlockerChange): string {
  const wire: WireChange = {
    v: 1,
    blockerId: change.blockerId,
    action: change.action,
    actorId: change.actorId,
    at: change.at.toISOString(),
  };
  return JSON.stringify(wire);
}

/** The change in a message, or null when the message is not one (another version, garbage). */
export function decodeChange(message: string): BlockerChange | null {
  let wire: Partial<WireChange>;
  try {
    wire = JSON.parse(message) as Partial<WireChange>;
  } catch {
    return null;
  }
  if (
    wire === null ||
    typeof wire !== 'object' ||
    wire.v !== 1 ||
    typeof wire.blockerId !== 'string' ||
    typeof wire.action !== 'string' ||
    (wire.actorId !== null && typeof wire.actorId !== 'string') ||
    typeof wire.at !== 'string'
  ) {
    return null;
  }
  const at = new Date(wire.at);
  if (Number.isNaN(at.getTime())) return null;
  return { blockerId: wire.blockerId, action: wire.action, actorId: wire.actorId, at };
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * Blocker events over one Redis pub/sub channel, so that the subscribers of every server instance
 * receive the changes committed on any of them. Publishing does not deliver locally: each instance,
 * the publishing one included, receives the change once, from its subscription to the channel.
 *
 * Two connections (a subscribed connection cannot publish), opened at start. While Redis is away the
 * server keeps serving: ioredis reconnects and resubscribes, publishes wait in its offline queue for a
 * while and are then dropped with a warning, and changes published while this instance was not
 * subscribed are not replayed (Redis pub/sub keeps nothing).
 */
export class RedisEventTransport implements BlockerEventTransport {
  private readonly logger = new Logger('BlockerEvents');
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private closing = false;

  constructor(
    private readonly url: string,
    readonly channel: string,
    private readonly options: RedisOptions = {},
  ) {}

  async start(deliver: (change: BlockerChange) => void): Promise<void> {
    this.publisher = this.connect('publisher', {});
    // The subscription waits for Redis as long as it takes; ioredis renews it after a reconnect.
    this.subscriber = this.connect('subscriber', { maxRetriesPerRequest: null });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const change = decodeChange(message);
      if (change) deliver(change);
      else this.logger.warn(`ignored a message on ${this.channel} that is not a blocker change`);
    });
    const subscribed = this.subscriber.subscribe(this.channel).then(
      () => true,
      (error: unknown) => {
        if (!this.closing)
          this.logger.error(`could not subscribe to ${this.channel}: ${(error as Error).message}`);
        return false;
      },
    );
    const where = `${redactUrl(this.url)}, channel ${this.channel}`;
    if ((await Promise.race([subscribed, timeout(START_WAIT_MS)])) === true) {
      this.logger.log(`blocker events travel through Redis (${where})`);
    } else {
      this.logger.warn(
        `Redis is not reachable yet (${where}); the server runs on and receives blocker events once it is`,
      );
      void subscribed.then((ok) => ok && this.logger.log(`subscribed to blocker events on Redis (${where})`));
    }
  }

  async publish(change: BlockerChange): Promise<void> {
    if (!this.publisher) throw new Error('the Redis event transport is not started');
    await this.publisher.publish(this.channel, encodeChange(change));
  }

  async close(): Promise<void> {
    this.closing = true;
    const connections = [this.publisher, this.subscriber].filter((c): c is Redis => c !== null);
    this.publisher = null;
    this.subscriber = null;
    await Promise.all(
      connections.map(async (connection) => {
        // QUIT lets pending publishes go out first; a connection that is down is simply dropped.
        const quit = connection.quit().then(
          () => 'quit' as const,
          () => 'failed' as const,
        );
        if ((await Promise.race([quit, timeout(QUIT_WAIT_MS)])) !== 'quit') connection.disconnect();
      }),
    );
  }

  /** A connection that reports each outage once (and its end), not every reconnection attempt. */
  private connect(role: string, options: RedisOptions): Redis {
    const connection = new Redis(this.url, {
      connectionName: `knooppunt-events-${role}`,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      ...this.options,
      ...options,
    });
    let down = false;
    connection.on('error', (error: Error) => {
      if (this.closing || down) return;
      down = true;
      this.logger.warn(
        `Redis ${role} connection to ${redactUrl(this.url)} is unavailable (${error.message}); retrying`,
      );
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      this.logger.log(`Redis ${role} connection to ${redactUrl(this.url)} is back`);
    });
    return connection;
  }
}
