import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService, diff } from '@app/audit';
import {
  Actor,
  BadUserInputError,
  ensure,
  entityColumns,
  GENERIC_PLANS_FROM_HERE,
  keysetPage,
  NotFoundError,
  Page,
  PageArgs,
  Permissions,
  stewardOf,
  toEntity,
  TransactionService,
} from '@app/core';
import { DatasetEntity, ProviderEntity } from '@app/providers';
import { DataNeedEntity, DataNeedState } from './entities/data-need.entity';

export interface DeclareNeedFields {
  requesterId?: string | null;
  supplierId: string;
  datasetId?: string | null;
  dataElements: string[];
  purpose: string;
  service?: string | null;
  legalBasis?: string | null;
  annualCases?: number | null;
}

export interface UpdateNeedFields {
  dataElements?: string[];
  purpose?: string;
  service?: string | null;
  legalBasis?: string | null;
  annualCases?: number | null;
  state?: DataNeedState;
}

export interface NeedFilterValues {
  requesterId?: string | null;
  supplierId?: string | null;
  datasetId?: string | null;
  state?: DataNeedState[] | null;
}

export type NeedsChangedListener = (needIds: string[]) => Promise<void>;
export type NeedsChangingHook = () => Promise<void>;

const AUDITED: Array<keyof DataNeedEntity> = [
  'requesterId',
  'supplierId',
  'datasetId',
  'dataElements',
  'purpose',
  'service',
  'legalBasis',
  'annualCases',
  'state',
];

/** Open blocker statuses, as SQL, for the derived BLOCKED state. */
const OPEN_SQL = `('REPORTED','TRIAGED','PRIORITISED','IN_PROGRESS','ESCALATED')`;

@Injectable()
export class NeedsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  private readonly listeners: NeedsChangedListener[] = [];
  private readonly beforeHooks: NeedsChangingHook[] = [];

  private get repo() {
    return this.tx.manager.getRepository(DataNeedEntity);
  }

  /**
   * Libraries that derive values from needs (blocker scores) subscribe here; listeners run inside the
   * transaction of the change.
   */
  onNeedsChanged(listener: NeedsChangedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Hooks run first in the transaction of a change, before the need is locked: a library whose
   * listener takes locks takes them here, in the order its own changes take them (no deadlock).
   */
  beforeNeedsChange(hook: NeedsChangingHook): void {
    this.beforeHooks.push(hook);
  }

  async declare(actor: Actor, fields: DeclareNeedFields): Promise<DataNeedEntity> {
    const requesterId = fields.requesterId ?? stewardOf(actor);
    if (!requesterId) {
      // Only who may declare for any requester is asked to name one; anyone else may not declare at all.
      ensure(Permissions.declareAnyNeed(actor), 'Only stewards, STEERING and ADMIN declare data needs');
      throw BadUserInputError.field('input.requesterId', 'required when you are not a steward');
    }
    ensure(Permissions.declareNeed(actor, requesterId), "A steward declares only their own provider's needs");
    return this.tx.run(async () => {
      await this.requireProvider(requesterId, 'input.requesterId');
      await this.requireProvider(fields.supplierId, 'input.supplierId');
      if (requesterId === fields.supplierId) {
        throw BadUserInputError.field('input.supplierId', 'a provider does not need data from itself');
      }
      if (fields.datasetId) await this.requireDatasetOf(fields.datasetId, fields.supplierId);
      const saved = await this.repo.save(
        this.repo.create({
          requesterId,
          supplierId: fields.supplierId,
          datasetId: fields.datasetId ?? null,
          dataElements: fields.dataElements,
          purpose: fields.purpose,
          service: fields.service ?? null,
          legalBasis: fields.legalBasis ?? null,
          annualCases: fields.annualCases ?? null,
          state: DataNeedState.REQUESTED,
          createdById: actor.userId,
        }),
      );
      await this.audit.record(actor, {
        action: 'need.declared',
        entityType: 'DataNeed',
        entityId: saved.id,
        changes: diff(null, saved, AUDITED),
      });
      return saved;
    });
  }

  /**
   * Update a need. BLOCKED is the server's: a client may set REQUESTED, FLOWING or WITHDRAWN, and not
   * while an open blocker affects the need (it stays BLOCKED until the last one closes).
   */
  async update(actor: Actor, id: string, fields: UpdateNeedFields): Promise<DataNeedEntity> {
    return this.tx.run(async () => {
      for (const hook of this.beforeHooks) await hook();
      const before = await this.repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new NotFoundError('DataNeed', id);
      ensure(Permissions.updateNeed(actor, before), "A steward updates only their own provider's needs");
      if (fields.state !== undefined) {
        if (fields.state === DataNeedState.BLOCKED) {
          throw BadUserInputError.field(
            'input.state',
            'BLOCKED is set by the server while an open blocker affects the need',
          );
        }
        if (before.state === DataNeedState.BLOCKED) {
          throw BadUserInputError.field(
            'input.state',
            'an open blocker affects this need; it stays BLOCKED until that closes',
          );
        }
      }
      const after: DataNeedEntity = { ...before };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
      }
      const changes = diff(before, after, AUDITED);
      if (changes.length === 0) return before;
      const saved = await this.repo.save(after);
      await this.audit.record(actor, {
        action: 'need.updated',
        entityType: 'DataNeed',
        entityId: id,
        changes,
      });
      for (const listener of this.listeners) await listener([id]);
      return saved;
    });
  }

  /**
   * Keep the derived state: BLOCKED exactly while an open blocker affects the need; a need that stops
   * being blocked returns to REQUESTED. Call inside the transaction of the change, after locking.
   * Returns the needs whose state changed.
   */
  async refreshStates(needIds: readonly string[]): Promise<Array<{ id: string; state: DataNeedState }>> {
    if (needIds.length === 0) return [];
    const result: unknown = await this.tx.manager.query(
      `UPDATE data_need n SET state = s.next, updated_at = now()
       FROM (
         SELECT n2.id,
                CASE WHEN EXISTS (SELECT 1 FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
                                   WHERE bn.need_id = n2.id AND b.status IN ${OPEN_SQL})
                     THEN 'BLOCKED'::data_need_state
                     WHEN n2.state = 'BLOCKED' THEN 'REQUESTED'::data_need_state
                     ELSE n2.state END AS next
         FROM data_need n2 WHERE n2.id = ANY($1::uuid[])
       ) s
       WHERE n.id = s.id AND n.state <> s.next
       RETURNING n.id, n.state`,
      [needIds],
    );
    // UPDATE ... RETURNING comes back from the pg driver as [rows, affectedCount].
    return (result as [Array<{ id: string; state: DataNeedState }>, number])[0];
  }

  /**
   * Lock needs as `lock` does, in one statement that first takes the transaction-scoped advisory lock
   * `sharedKey` in shared mode (a one-time filter: PostgreSQL evaluates it before reading any row, so
   * the advisory lock comes before the row locks, in the order of ADR 4). For a report, which takes the
   * score lock shared (ADR 12) and then its needs. It also switches the rest of the report's
   * transaction to generic plans (`GENERIC_PLANS_FROM_HERE`): the report's prepared statements after it
   * are planned once per connection, not on every report (ADR 14). The duplicate search, planned for
   * its values, runs before it.
   */
  async lockAfterShared(sharedKey: number, needIds: readonly string[]): Promise<DataNeedEntity[]> {
    const m = this.tx.manager;
    const rows = await this.tx.prepared<Record<string, unknown>>(
      `SELECT ${entityColumns(m, DataNeedEntity, 'n')} FROM data_need n
        WHERE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared($2::bigint),
                                            ${GENERIC_PLANS_FROM_HERE}) l) = 1
          AND n.id = ANY($1::uuid[])
        ORDER BY n.id FOR UPDATE OF n`,
      [needIds, sharedKey],
    );
    return rows.map((row) => toEntity(DataNeedEntity, row));
  }

  /**
   * The derived state for needs that an open blocker has just been linked to, as a data-modifying
   * statement for a `WITH` list (needs `$needs`, a SQL parameter reference; locked, none WITHDRAWN):
   * they are BLOCKED now, whatever else affects them, so the report need not read their other blockers
   * as `refreshStates` does.
   */
  markBlockedSql(needs: string): string {
    return `UPDATE data_need SET state = 'BLOCKED', updated_at = now()
             WHERE id = ANY(${needs}::uuid[]) AND state <> 'BLOCKED'`;
  }

  /** Lock needs (in id order, so concurrent transactions cannot deadlock) before changing what blocks them. */
  async lock(needIds: readonly string[]): Promise<DataNeedEntity[]> {
    if (needIds.length === 0) return [];
    return this.repo
      .createQueryBuilder('n')
      .where('n.id IN (:...ids)', { ids: [...needIds] })
      .orderBy('n.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  async get(id: string): Promise<DataNeedEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  async byIds(ids: readonly string[]): Promise<DataNeedEntity[]> {
    return ids.length === 0 ? [] : this.repo.find({ where: { id: In([...ids]) } });
  }

  async list(args: PageArgs, filter: NeedFilterValues = {}): Promise<Page<DataNeedEntity>> {
    const qb = this.repo.createQueryBuilder('n');
    if (filter.requesterId) qb.andWhere('n.requester_id = :requesterId', { requesterId: filter.requesterId });
    if (filter.supplierId) qb.andWhere('n.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.datasetId) qb.andWhere('n.dataset_id = :datasetId', { datasetId: filter.datasetId });
    if (filter.state?.length) qb.andWhere('n.state IN (:...states)', { states: filter.state });
    return keysetPage(
      qb,
      args,
      { expr: 'n.created_at', type: 'timestamptz', direction: 'ASC', name: 'created' },
      (n) => n,
    );
  }

  private async requireProvider(id: string, field: string): Promise<void> {
    if (!(await this.tx.manager.getRepository(ProviderEntity).exists({ where: { id } }))) {
      throw BadUserInputError.field(field, 'no provider has this ID');
    }
  }

  private async requireDatasetOf(datasetId: string, supplierId: string): Promise<void> {
    const dataset = await this.tx.manager.getRepository(DatasetEntity).findOne({ where: { id: datasetId } });
    if (!dataset) throw BadUserInputError.field('input.datasetId', 'no dataset has this ID');
    if (dataset.holderId !== supplierId) {
      throw BadUserInputError.field('input.datasetId', 'the dataset is not held by the supplier');
    }
  }
}
