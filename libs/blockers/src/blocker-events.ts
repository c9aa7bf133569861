import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

/** A committed change to a blocker, as subscribers receive it. */
export interface BlockerChange {
  blockerId: string;
  action: string;
  actorId: string | null;
  at: Date;
}

/**
 * Where committed blocker changes are announced. Services publish through TransactionService.afterCommit
 * so nothing is announced that did not commit. Transports (in-process, Redis) subscribe here.
 */
@Injectable()
export class BlockerEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(change: BlockerChange): void {
    this.emitter.emit('change', change);
  }

  subscribe(listener: (change: BlockerChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
