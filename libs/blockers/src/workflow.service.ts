import { Injectable } from '@nestjs/common';
import { diff } from '@app/audit';
import {
  Actor,
  BadUserInputError,
  ensure,
  Permissions,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PrerequisiteOpenError,
  toGlobalId,
  TransactionService,
} from '@app/core';
import { NeedsService } from '@app/needs';
import { visibleRawSql } from './blocker-visibility';
import { BlockerWriter } from './blocker-writer';
import { lockDependencyGraph } from './dependency-lock';
import { repointDependencies } from './domain/graph';
import { PriorityLevel, ResolutionKind } from './domain/taxonomy';
import { BlockerStatus, checkTransition, isOpen, OPEN_STATUSES } from './domain/workflow';
import { BlockerEntity } from './entities/blocker.entity';
import { PriorityService } from './priority.service';

export interface SteeringDecision {
  blockerId: string;
  expectedVersion: number;
  level: PriorityLevel;
  rank?: number | null;
  rationale: string;
}

/**
 * Every change of agenda ranks (decisions and closing moves) takes this lock, so that parallel changes
 * keep ranks unique and gapless.
 */
const AGENDA_LOCK = 4_812_209;

export interface TransitionRequest {
  id: string;
  expectedVersion: number;
  to: BlockerStatus;
  reason?: string | null;
  resolution?: { kind: ResolutionKind; summary: string; reference?: string | null } | null;
  duplicateOfId?: string | null;
}

/**
 * The one path of every status change: check the table, check the version, save, write the audit
 * event, recompute derived state (need states, priority scores), publish after commit.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly tx: TransactionService,
    private readonly writer: BlockerWriter,
    private readonly needs: NeedsService,
    private readonly priority: PriorityService,
  ) {}

  async transition(actor: Actor, request: TransitionRequest): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      // Closing takes the blocker off the agenda and moves the ranks behind it up: that changes ranks
      // like a steering decision does, so it holds the same lock, taken before the blocker's row.
      if (!isOpen(request.to)) await this.lockAgenda();
      // A merge moves dependencies: it changes the dependency graph like adding an edge does.
      if (request.to === BlockerStatus.DUPLICATE) await lockDependencyGraph(this.tx.manager);
      await this.priority.lockScores();
      const before = await this.writer.lockVisible(actor, request.id);
      const check = checkTransition(actor, before, request.to);
      if (check.error === 'INVALID_TRANSITION') throw new InvalidTransitionError(before.status, request.to);
      if (check.error === 'FORBIDDEN' || !check.rule) {
        throw new ForbiddenError(`You may not move this blocker from ${before.status} to ${request.to}`);
      }
      const rule = check.rule;
      const reason = request.reason?.trim() || null;
      if (rule.needs.includes('reason') && !reason) {
        throw BadUserInputError.field('input.reason', `a reason is required to move to ${request.to}`);
      }
      if (rule.needs.includes('resolution') && !request.resolution) {
        throw BadUserInputError.field('input.resolution', 'a resolution is required to resolve a blocker');
      }
      if (rule.needs.includes('owner') && !before.ownerId) {
        throw BadUserInputError.field(
          'input.to',
          'set an owner (the provider that must act) before work starts',
        );
      }
      if (rule.needs.includes('prerequisitesClosed')) await this.requirePrerequisitesClosed(actor, before.id);
      let duplicateOf: BlockerEntity | null = null;
      if (rule.needs.includes('duplicateOf'))
        duplicateOf = await this.requireOriginal(actor, before, request.duplicateOfId);

      const closing = isOpen(before.status) && !isOpen(request.to);
      const reopening = !isOpen(before.status) && isOpen(request.to);
      const set: Partial<Record<keyof BlockerEntity, unknown>> = {
        status: request.to,
        statusChangedAt: () => 'now()',
      };
      if (closing) {
        set.closedAt = () => 'now()';
        set.priorityRank = null;
      }
      if (reopening) {
        set.closedAt = null;
        set.duplicateOfId = null;
        set.resolutionKind = null;
        set.resolutionSummary = null;
        set.resolutionReference = null;
        set.resolvedAt = null;
      }
      if (request.to === BlockerStatus.RESOLVED && request.resolution) {
        set.resolutionKind = request.resolution.kind;
        set.resolutionSummary = request.resolution.summary;
        set.resolutionReference = request.resolution.reference ?? null;
        set.resolvedAt = () => 'now()';
      }
      if (duplicateOf) set.duplicateOfId = duplicateOf.id;

      const after = await this.writer.write(before.id, request.expectedVersion, set);
      if (closing && before.priorityRank !== null) {
        const shifts = new RankShifts();
        await this.closeRankGap(before.priorityRank, shifts);
        await this.recordShifts(actor, shifts, 'a blocker above left the agenda');
      }

      const touchedNeeds = await this.needIdsOf([before.id, ...(duplicateOf ? [duplicateOf.id] : [])]);
      if (duplicateOf) await this.merge(actor, before, duplicateOf);
      await this.needs.refreshStates([...touchedNeeds, ...(await this.needIdsOf([before.id]))]);
      await this.priority.recompute([before.id, ...(duplicateOf ? [duplicateOf.id] : [])], touchedNeeds);

      const changes = diff(before, after, [
        'status',
        'duplicateOfId',
        'resolutionKind',
        'resolutionSummary',
        'resolutionReference',
        'priorityRank',
      ]);
      await this.writer.record(actor, {
        action: 'blocker.transitioned',
        entityType: 'Blocker',
        entityId: before.id,
        blockerId: before.id,
        changes,
        reason,
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: before.id });
    });
  }

  /**
   * A steering decision: level, agenda rank and rationale. Ranks stay unique and gapless among open
   * blockers: the others shift to make room, and a rank past the end becomes the last place.
   * TRIAGED moves to PRIORITISED.
   */
  async decide(actor: Actor, decision: SteeringDecision): Promise<BlockerEntity> {
    ensure(Permissions.steer(actor), 'Only the steering group records decisions');
    const rationale = decision.rationale.trim();
    if (!rationale) throw BadUserInputError.field('input.rationale', 'a rationale is required');
    return this.tx.run(async () => {
      await this.lockAgenda();
      const before = await this.writer.lockVisible(actor, decision.blockerId);
      const wanted = decision.rank ?? null;
      if (wanted !== null && !isOpen(before.status)) {
        throw BadUserInputError.field('input.rank', 'a closed blocker is not on the agenda');
      }
      let rank: number | null = null;
      const shifts = new RankShifts();
      if (before.priorityRank !== null) await this.closeRankGap(before.priorityRank, shifts);
      if (wanted !== null) {
        const [{ count }]: Array<{ count: string }> = await this.tx.manager.query(
          'SELECT count(*) FROM blocker WHERE priority_rank IS NOT NULL AND id <> $1',
          [before.id],
        );
        rank = Math.min(wanted, Number(count) + 1);
        shifts.add(
          await this.tx.manager.query(
            `UPDATE blocker SET priority_rank = priority_rank + 1 WHERE priority_rank >= $1 AND id <> $2
             RETURNING id, priority_rank`,
            [rank, before.id],
          ),
          +1,
        );
      }
      await this.recordShifts(
        actor,
        shifts,
        rank === null ? 'a blocker above left the agenda' : `another blocker was placed at rank ${rank}`,
      );
      const set: Partial<Record<keyof BlockerEntity, unknown>> = {
        priorityLevel: decision.level,
        priorityRank: rank,
        priorityRationale: rationale,
        priorityDecidedAt: () => 'now()',
      };
      if (before.status === BlockerStatus.TRIAGED) {
        set.status = BlockerStatus.PRIORITISED;
        set.statusChangedAt = () => 'now()';
      }
      const after = await this.writer.write(before.id, decision.expectedVersion, set);
      await this.writer.record(actor, {
        action: 'steering.decided',
        entityType: 'Blocker',
        entityId: before.id,
        blockerId: before.id,
        changes: diff(before, after, ['priorityLevel', 'priorityRank', 'priorityRationale', 'status']),
        reason: rationale,
      });
      return after;
    });
  }

  /** Every open prerequisite blocks; only those the actor may see are named. */
  private async requirePrerequisitesClosed(actor: Actor, id: string): Promise<void> {
    const visible = visibleRawSql(actor, 'b', 3);
    const open: Array<{ number: number; visible: boolean }> = await this.tx.manager.query(
      `SELECT b.number, ${visible.sql} AS visible FROM blocker_dependency d JOIN blocker b ON b.id = d.depends_on_id
       WHERE d.blocker_id = $1 AND b.status = ANY($2::blocker_status[]) ORDER BY b.number`,
      visible.param ? [id, OPEN_STATUSES, visible.param] : [id, OPEN_STATUSES],
    );
    if (open.length === 0) return;
    const keys = open.filter((r) => r.visible).map((r) => `KNP-${r.number}`);
    throw new PrerequisiteOpenError(keys, open.length - keys.length);
  }

  private async requireOriginal(
    actor: Actor,
    duplicate: BlockerEntity,
    originalId: string | null | undefined,
  ): Promise<BlockerEntity> {
    if (!originalId)
      throw BadUserInputError.field('input.duplicateOfId', 'name the open blocker this one duplicates');
    if (originalId === duplicate.id)
      throw BadUserInputError.field('input.duplicateOfId', 'a blocker cannot duplicate itself');
    let original: BlockerEntity;
    try {
      original = await this.writer.lockVisible(actor, originalId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw BadUserInputError.field('input.duplicateOfId', 'no blocker has this ID');
      throw error;
    }
    if (!isOpen(original.status))
      throw BadUserInputError.field('input.duplicateOfId', 'the original must be open');
    return original;
  }

  /**
   * DUPLICATE: the duplicate's affected needs, endorsements and dependencies move to the original. A
   * need or an endorsing provider the original already has is not counted twice; the original's own
   * reporter cannot endorse it; a dependency that would close a cycle on the original stays on the
   * duplicate (see repointDependencies).
   */
  private async merge(actor: Actor, duplicate: BlockerEntity, original: BlockerEntity): Promise<void> {
    const m = this.tx.manager;
    const movedNeeds: Array<{ need_id: string }> = await m.query(
      `INSERT INTO blocker_need (blocker_id, need_id)
       SELECT $2, need_id FROM blocker_need WHERE blocker_id = $1
       ON CONFLICT DO NOTHING RETURNING need_id`,
      [duplicate.id, original.id],
    );
    await m.query('DELETE FROM blocker_need WHERE blocker_id = $1', [duplicate.id]);
    const movedEndorsements: Array<{ provider_id: string }> = await m.query(
      `INSERT INTO endorsement (blocker_id, provider_id, user_id, note, created_at)
       SELECT $2, provider_id, user_id, note, created_at FROM endorsement
       WHERE blocker_id = $1 AND provider_id <> $3
       ON CONFLICT DO NOTHING RETURNING provider_id`,
      [duplicate.id, original.id, original.reportingProviderId],
    );
    await m.query('DELETE FROM endorsement WHERE blocker_id = $1', [duplicate.id]);
    await m.query(
      `UPDATE blocker b SET endorsement_count = (SELECT count(*) FROM endorsement e WHERE e.blocker_id = b.id)
       WHERE b.id = ANY($1::uuid[])`,
      [[duplicate.id, original.id]],
    );
    const dependencies = await this.moveDependencies(duplicate.id, original.id);
    await this.writer.write(original.id, null, {});
    await this.writer.record(actor, {
      action: 'blocker.merged',
      entityType: 'Blocker',
      entityId: original.id,
      blockerId: original.id,
      changes: [
        { field: 'duplicates', from: null, to: toGlobalId('Blocker', duplicate.id) },
        { field: 'affectedNeeds', from: null, to: movedNeeds.map((r) => toGlobalId('DataNeed', r.need_id)) },
        {
          field: 'endorsements',
          from: null,
          to: movedEndorsements.map((r) => toGlobalId('Provider', r.provider_id)),
        },
        {
          field: 'dependents',
          from: null,
          to: dependencies.dependents.map((id) => toGlobalId('Blocker', id)),
        },
        {
          field: 'dependsOn',
          from: null,
          to: dependencies.prerequisites.map((id) => toGlobalId('Blocker', id)),
        },
      ],
    });
  }

  /**
   * Moves the duplicate's dependency edges to the original; returns the blockers that now wait on the
   * original and those the original now waits on because of the merge.
   */
  private async moveDependencies(
    duplicateId: string,
    originalId: string,
  ): Promise<{ dependents: string[]; prerequisites: string[] }> {
    const m = this.tx.manager;
    const edges: Array<{ blockerId: string; dependsOnId: string }> = await m.query(
      'SELECT blocker_id AS "blockerId", depends_on_id AS "dependsOnId" FROM blocker_dependency',
    );
    const { moved } = repointDependencies(edges, duplicateId, originalId);
    const dependents: string[] = [];
    const prerequisites: string[] = [];
    for (const { from, to } of moved) {
      await m.query('DELETE FROM blocker_dependency WHERE blocker_id = $1 AND depends_on_id = $2', [
        from.blockerId,
        from.dependsOnId,
      ]);
      if (to.blockerId === to.dependsOnId) continue;
      await m.query(
        `INSERT INTO blocker_dependency (blocker_id, depends_on_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [to.blockerId, to.dependsOnId],
      );
      if (to.dependsOnId === originalId) dependents.push(to.blockerId);
      else prerequisites.push(to.dependsOnId);
    }
    return { dependents, prerequisites };
  }

  /** Serialises every change of agenda ranks; held until the transaction ends. */
  private async lockAgenda(): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1)', [AGENDA_LOCK]);
  }

  /** A blocker leaves its place on the agenda; the ranks behind it close up. */
  private async closeRankGap(rank: number, shifts: RankShifts): Promise<void> {
    shifts.add(
      await this.tx.manager.query(
        'UPDATE blocker SET priority_rank = priority_rank - 1 WHERE priority_rank > $1 RETURNING id, priority_rank',
        [rank],
      ),
      -1,
    );
  }

  /**
   * Every blocker whose rank moved because of another one's decision or closing gets its own audit
   * event (and a change announcement), naming the cause without naming the other blocker, which the
   * reader of this history may not be allowed to see. Its version stays: no field a client edits moved.
   */
  private async recordShifts(actor: Actor, shifts: RankShifts, reason: string): Promise<void> {
    for (const [id, { from, to }] of shifts.net()) {
      await this.writer.record(actor, {
        action: 'steering.rank_shifted',
        entityType: 'Blocker',
        entityId: id,
        blockerId: id,
        changes: [{ field: 'priorityRank', from, to }],
        reason,
      });
    }
  }

  private async needIdsOf(blockerIds: string[]): Promise<string[]> {
    const rows: Array<{ need_id: string }> = await this.tx.manager.query(
      'SELECT DISTINCT need_id FROM blocker_need WHERE blocker_id = ANY($1::uuid[])',
      [blockerIds],
    );
    return rows.map((r) => r.need_id);
  }
}

/** The ranks moved in one transaction: per blocker, where it was first and where it ends up. */
class RankShifts {
  private readonly moves = new Map<string, { from: number; to: number }>();

  /** Rows of `UPDATE ... RETURNING id, priority_rank` (pg answers [rows, count]), moved by `delta`. */
  add(result: [Array<{ id: string; priority_rank: number }>, number], delta: number): void {
    for (const row of result[0]) {
      const seen = this.moves.get(row.id);
      this.moves.set(row.id, { from: seen?.from ?? row.priority_rank - delta, to: row.priority_rank });
    }
  }

  /** The blockers whose rank differs at the end, in rank order. */
  net(): Array<[string, { from: number; to: number }]> {
    return [...this.moves].filter(([, m]) => m.from !== m.to).sort(([, a], [, b]) => a.to - b.to);
  }
}
