import { Injectable } from '@nestjs/common';
import {
  Actor,
  BadUserInputError,
  ConflictError,
  DependencyCycleError,
  ensure,
  NotFoundError,
  Permissions,
  stewardOf,
  toGlobalId,
  TransactionService,
} from '@app/core';
import { visibleRawSql } from './blocker-visibility';
import { BlockerWriter } from './blocker-writer';
import { lockDependencyGraph } from './dependency-lock';
import { cycleThrough } from './domain/graph';
import { BlockerEntity } from './entities/blocker.entity';
import { BlockerDependencyEntity, EndorsementEntity } from './entities/links.entity';
import { PriorityService } from './priority.service';

/** How a cycle names a blocker the actor may not see. */
const HIDDEN_BLOCKER = '(a blocker you cannot see)';

/** Dependencies between blockers and endorsements of blockers. */
@Injectable()
export class RelationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly writer: BlockerWriter,
    private readonly priority: PriorityService,
  ) {}

  async addDependency(actor: Actor, blockerId: string, dependsOnId: string): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await lockDependencyGraph(this.tx.manager);
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      ensure(
        Permissions.updateBlocker(actor, blocker),
        'Only stewards of the reporting or owning provider, or STEERING, change dependencies',
      );
      await this.lockOther(actor, dependsOnId);
      if (blockerId === dependsOnId)
        throw BadUserInputError.field('input.dependsOnId', 'a blocker cannot depend on itself');
      const repo = this.tx.manager.getRepository(BlockerDependencyEntity);
      if (await repo.existsBy({ blockerId, dependsOnId })) {
        throw BadUserInputError.field('input.dependsOnId', 'this dependency exists already');
      }
      const cycle = await this.cycleIfAdded(actor, blockerId, dependsOnId);
      if (cycle) throw new DependencyCycleError(cycle);
      await repo.insert({ blockerId, dependsOnId });
      await this.writer.write(blockerId, null, {});
      await this.priority.recompute([blockerId, dependsOnId]);
      await this.writer.record(actor, {
        action: 'blocker.dependency_added',
        entityType: 'Blocker',
        entityId: blockerId,
        blockerId,
        changes: [{ field: 'dependsOn', from: null, to: toGlobalId('Blocker', dependsOnId) }],
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  async removeDependency(actor: Actor, blockerId: string, dependsOnId: string): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await lockDependencyGraph(this.tx.manager);
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      ensure(
        Permissions.updateBlocker(actor, blocker),
        'Only stewards of the reporting or owning provider, or STEERING, change dependencies',
      );
      const result = await this.tx.manager
        .getRepository(BlockerDependencyEntity)
        .delete({ blockerId, dependsOnId });
      if (!result.affected)
        throw BadUserInputError.field('input.dependsOnId', 'this dependency does not exist');
      await this.writer.write(blockerId, null, {});
      await this.priority.recompute([blockerId, dependsOnId]);
      await this.writer.record(actor, {
        action: 'blocker.dependency_removed',
        entityType: 'Blocker',
        entityId: blockerId,
        blockerId,
        changes: [{ field: 'dependsOn', from: toGlobalId('Blocker', dependsOnId), to: null }],
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  async endorse(actor: Actor, blockerId: string, note: string | null): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      ensure(
        Permissions.endorse(actor, blocker),
        'A steward endorses blockers their provider did not report',
      );
      const repo = this.tx.manager.getRepository(EndorsementEntity);
      const providerId = actor.providerId!;
      if (await repo.existsBy({ blockerId, providerId })) {
        throw new ConflictError('Your provider endorses this blocker already');
      }
      await this.addEndorsement(actor, blockerId, {
        providerId,
        userId: actor.userId,
        note,
        createdAt: null,
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  /**
   * An endorsement made earlier (elsewhere), recorded as it was: the provider, the user who endorsed and
   * the date stay on the row, the audit event names the actor who records it. ADMIN only. Returns false
   * when the provider endorses the blocker already (a second run changes nothing, whoever runs it).
   */
  async recordEndorsement(
    actor: Actor,
    blockerId: string,
    endorsement: { providerId: string; userId: string | null; note: string | null; createdAt: Date },
  ): Promise<boolean> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      const { providerId } = endorsement;
      if (providerId === blocker.reportingProviderId)
        throw BadUserInputError.field(
          'providerId',
          'the reporting provider does not endorse its own blocker',
        );
      const repo = this.tx.manager.getRepository(EndorsementEntity);
      if (await repo.existsBy({ blockerId, providerId })) return false;
      // Checked after the look-up: re-reading an endorsement that is there already records nothing.
      ensure(Permissions.recordOnBehalf(actor), 'Only ADMIN records an endorsement in another user’s name');
      await this.addEndorsement(actor, blockerId, endorsement, [
        {
          field: 'endorsedBy',
          from: null,
          to: endorsement.userId ? toGlobalId('User', endorsement.userId) : null,
        },
      ]);
      return true;
    });
  }

  /**
   * The one write of an endorsement: the row (dated now unless `createdAt` is given), the blocker's
   * count and version, the score, and the `blocker.endorsed` event.
   */
  private async addEndorsement(
    actor: Actor,
    blockerId: string,
    row: { providerId: string; userId: string | null; note: string | null; createdAt: Date | null },
    moreChanges: Array<{ field: string; from: unknown; to: unknown }> = [],
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO endorsement (blocker_id, provider_id, user_id, note, created_at)
       VALUES ($1, $2, $3, $4, coalesce($5, now()))`,
      [blockerId, row.providerId, row.userId, row.note, row.createdAt],
    );
    await this.writer.write(blockerId, null, { endorsementCount: () => 'endorsement_count + 1' });
    await this.priority.recompute([blockerId]);
    await this.writer.record(actor, {
      action: 'blocker.endorsed',
      entityType: 'Blocker',
      entityId: blockerId,
      blockerId,
      changes: [
        { field: 'endorsements', from: null, to: toGlobalId('Provider', row.providerId) },
        ...moreChanges,
      ],
    });
  }

  async withdrawEndorsement(actor: Actor, blockerId: string): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      await this.writer.lockVisible(actor, blockerId);
      // Only a steward acts for a provider; another role's token may name an org too.
      const providerId = stewardOf(actor);
      ensure(providerId !== null, 'Only a steward withdraws their provider’s endorsement');
      const result = await this.tx.manager
        .getRepository(EndorsementEntity)
        .delete({ blockerId, providerId: providerId! });
      if (!result.affected)
        throw BadUserInputError.field('blockerId', 'your provider does not endorse this blocker');
      await this.writer.write(blockerId, null, { endorsementCount: () => 'endorsement_count - 1' });
      await this.priority.recompute([blockerId]);
      await this.writer.record(actor, {
        action: 'blocker.endorsement_withdrawn',
        entityType: 'Blocker',
        entityId: blockerId,
        blockerId,
        changes: [{ field: 'endorsements', from: toGlobalId('Provider', providerId!), to: null }],
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  private async lockOther(actor: Actor, id: string): Promise<void> {
    try {
      await this.writer.lockVisible(actor, id);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw BadUserInputError.field('input.dependsOnId', 'no blocker has this ID');
      throw error;
    }
  }

  /**
   * The cycle `blocker -> dependsOn -> ... -> blocker` that the new edge would close, if any, by key;
   * a blocker the actor may not see stays unnamed.
   */
  private async cycleIfAdded(actor: Actor, blockerId: string, dependsOnId: string): Promise<string[] | null> {
    const edges: Array<{ blocker_id: string; depends_on_id: string }> = await this.tx.manager.query(
      `WITH RECURSIVE reach(id) AS (
         SELECT $1::uuid UNION SELECT d.depends_on_id FROM reach JOIN blocker_dependency d ON d.blocker_id = reach.id
       )
       SELECT d.blocker_id, d.depends_on_id FROM blocker_dependency d JOIN reach ON reach.id = d.blocker_id`,
      [dependsOnId],
    );
    const prerequisites = new Map<string, string[]>();
    for (const e of edges)
      (prerequisites.get(e.blocker_id) ?? prerequisites.set(e.blocker_id, []).get(e.blocker_id)!).push(
        e.depends_on_id,
      );
    const cycle = cycleThrough(prerequisites, blockerId, dependsOnId);
    if (!cycle) return null;
    const visible = visibleRawSql(actor, 'b', 2);
    const numbers: Array<{ id: string; number: number; visible: boolean }> = await this.tx.manager.query(
      `SELECT b.id, b.number, ${visible.sql} AS visible FROM blocker b WHERE b.id = ANY($1::uuid[])`,
      visible.param ? [cycle, visible.param] : [cycle],
    );
    const keyOf = new Map(numbers.map((n) => [n.id, n.visible ? `KNP-${n.number}` : HIDDEN_BLOCKER]));
    return cycle.map((id) => keyOf.get(id) ?? HIDDEN_BLOCKER);
  }
}
