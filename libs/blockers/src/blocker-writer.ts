import { Injectable } from '@nestjs/common';
import { AuditRecord, AuditService } from '@app/audit';
import { Actor, AlongsideStatement, ConflictError, NotFoundError, TransactionService } from '@app/core';
import { BlockerEvents } from './blocker-events';
import { visibleRawSql } from './blocker-visibility';
import { BlockerEntity } from './entities/blocker.entity';

/**
 * The steps every blocker mutation shares: lock the blocker (it must be visible to the actor), write
 * the change with the version checked in the UPDATE itself, record the audit event and announce the
 * change after commit.
 */
@Injectable()
export class BlockerWriter {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: BlockerEvents,
  ) {}

  /** Lock a blocker the actor can see; an invisible one does not exist. */
  async lockVisible(actor: Actor, id: string, entity = 'Blocker'): Promise<BlockerEntity> {
    const visible = visibleRawSql(actor, 'b', 2);
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `SELECT b.id FROM blocker b WHERE b.id = $1 AND ${visible.sql} FOR UPDATE OF b`,
      visible.param ? [id, visible.param] : [id],
    );
    if (rows.length === 0) throw new NotFoundError(entity, id);
    return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id });
  }

  /**
   * Apply column changes and increase the version, only if the version is still `expectedVersion`
   * (when given). Zero rows updated means someone else changed it first: CONFLICT, nothing written.
   */
  async write(
    id: string,
    expectedVersion: number | null | undefined,
    set: Partial<Record<string, unknown>>,
  ): Promise<BlockerEntity> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(BlockerEntity)
      .set({ ...set, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .andWhere(
        expectedVersion === undefined || expectedVersion === null ? 'TRUE' : 'version = :expectedVersion',
        {
          expectedVersion,
        },
      )
      .execute();
    if (!result.affected) {
      const current = await this.tx.manager.getRepository(BlockerEntity).findOneBy({ id });
      if (!current) throw new NotFoundError('Blocker', id);
      throw new ConflictError(`Blocker ${id} was changed by someone else (now version ${current.version})`, {
        currentVersion: current.version,
        fields: [
          { field: 'input.expectedVersion', message: `stale; the current version is ${current.version}` },
        ],
      });
    }
    return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id });
  }

  /** Record the audit event in this transaction and announce the change once it commits. */
  async record(actor: Actor | null, event: AuditRecord & { blockerId: string }): Promise<void> {
    await this.audit.record(actor, event);
    this.announce(actor, event);
  }

  /**
   * As `record`, with the event's INSERT handed back to run inside another statement of this
   * transaction (the caller must run it).
   */
  recording(actor: Actor | null, event: AuditRecord & { blockerId: string }): AlongsideStatement {
    const insert = this.audit.insert(actor, event);
    this.announce(actor, event);
    return insert;
  }

  /** Publish the change once the transaction commits. */
  private announce(actor: Actor | null, event: AuditRecord & { blockerId: string }): void {
    const change = {
      blockerId: event.blockerId,
      action: event.action,
      actorId: actor?.userId ?? null,
      at: new Date(),
    };
    this.tx.afterCommit(() => this.events.publish(change));
  }
}
