import { Injectable, OnModuleInit } from '@nestjs/common';
import { diff } from '@app/audit';
import {
  Actor,
  BadUserInputError,
  ensure,
  entityColumns,
  ForbiddenError,
  keysetPage,
  NotFoundError,
  Page,
  PageArgs,
  Permissions,
  seesAll,
  stewardOf,
  toEntity,
  toGlobalId,
  TransactionService,
} from '@app/core';
import { DataNeedEntity, DataNeedState, NeedsService } from '@app/needs';
import { ProviderEntity } from '@app/providers';
import {
  blockerOrder,
  BlockerFilterValues,
  BlockerOrderField,
  blockerQuery,
  searchRankOrder,
  searchText,
  SortDirection,
} from './blocker-query';
import { visibleRawSql } from './blocker-visibility';
import { BlockerWriter } from './blocker-writer';
import { BlockerLayer, BlockerType, Effort, layerOf, Severity } from './domain/taxonomy';
import { BlockerStatus, OPEN_STATUS_SQL } from './domain/workflow';
import { BlockerEntity } from './entities/blocker.entity';
import { BlockerNeedEntity, CommentEntity } from './entities/links.entity';
import { PriorityService } from './priority.service';

export interface ImpactValues {
  peopleAffectedPerYear?: number | null;
  businessesAffectedPerYear?: number | null;
  manualHoursPerYear?: number | null;
  costPerYearEur?: number | null;
}

export interface ReportFields {
  title: string;
  description: string;
  type: BlockerType;
  severity: Severity;
  perceived?: boolean | null;
  legalReference?: string | null;
  affectedNeedIds: string[];
  ownerId?: string | null;
  impact?: ImpactValues | null;
  effort?: Effort | null;
  targetDate?: string | null;
  confidential?: boolean | null;
  reportingProviderId?: string | null;
}

export interface UpdateFields {
  title?: string;
  description?: string;
  type?: BlockerType;
  severity?: Severity;
  perceived?: boolean;
  legalReference?: string | null;
  ownerId?: string | null;
  impact?: ImpactValues | null;
  effort?: Effort | null;
  targetDate?: string | null;
  confidential?: boolean;
}

/** Fields whose before and after the audit trail records. */
export const AUDITED_FIELDS: Array<keyof BlockerEntity> = [
  'title',
  'description',
  'type',
  'layer',
  'perceived',
  'legalReference',
  'severity',
  'status',
  'confidential',
  'reportingProviderId',
  'ownerId',
  'peopleAffectedPerYear',
  'businessesAffectedPerYear',
  'manualHoursPerYear',
  'costPerYearEur',
  'effort',
  'targetDate',
];

const IMPACT_COLUMNS: Record<keyof ImpactValues, keyof BlockerEntity> = {
  peopleAffectedPerYear: 'peopleAffectedPerYear',
  businessesAffectedPerYear: 'businessesAffectedPerYear',
  manualHoursPerYear: 'manualHoursPerYear',
  costPerYearEur: 'costPerYearEur',
};

const SIGNIFICANT_WORD = /[\p{L}\p{N}]{4,}/gu;
const words = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(SIGNIFICANT_WORD) ?? []).slice(0, 30));

/** A possible duplicate as the search finds it: enough to name it; the rest is loaded when asked. */
export interface DuplicateCandidate {
  id: string;
  number: number;
  title: string;
}

export interface ReportResult {
  blocker: BlockerEntity;
  possibleDuplicates: DuplicateCandidate[];
}

/** The statements of `visibleWhere`, by condition and kind of viewer. */
const visibleStatements = new Map<string, string>();

@Injectable()
export class BlockersService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly writer: BlockerWriter,
    private readonly needs: NeedsService,
    private readonly priority: PriorityService,
  ) {}

  onModuleInit(): void {
    // A need's annual cases feed the people factor of every blocker on it.
    this.needs.beforeNeedsChange(() => this.priority.lockScores());
    this.needs.onNeedsChanged((needIds) => this.priority.recompute([], needIds));
  }

  // ------------------------------------------------------------------ reads

  async findVisible(actor: Actor, id: string): Promise<BlockerEntity | null> {
    return (await this.visibleWhere(actor, 'b.id = $1::uuid', id))[0] ?? null;
  }

  async findVisibleByKey(actor: Actor, key: string): Promise<BlockerEntity | null> {
    const match = /^KNP-([1-9]\d{0,8})$/i.exec(key.trim());
    if (!match) return null;
    return (await this.visibleWhere(actor, 'b.number = $1::int', Number(match[1])))[0] ?? null;
  }

  async visibleByIds(actor: Actor, ids: readonly string[]): Promise<BlockerEntity[]> {
    if (ids.length === 0) return [];
    return this.visibleWhere(actor, 'b.id = ANY($1::uuid[])', ids);
  }

  /** The blockers of `ids` that the actor may see, in the order of `ids`. */
  async visibleInOrder(actor: Actor, ids: readonly string[]): Promise<BlockerEntity[]> {
    const byId = new Map((await this.visibleByIds(actor, ids)).map((b) => [b.id, b]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Blockers matching `condition` (on $1) that the actor may see, by hand-written SQL: these reads
   * serve every lookup and every loaded blocker, where building and hydrating through TypeORM's query
   * builder cost more than the statement.
   */
  private async visibleWhere(actor: Actor, condition: string, value: unknown): Promise<BlockerEntity[]> {
    const visible = visibleRawSql(actor, 'b', 2);
    // The text is built once per condition and kind of viewer: the same string on every call, whose
    // hash and comparison with the prepared statement's text cost nothing after the first.
    const key = `${condition}\u0000${visible.param === null ? visible.sql : 'steward'}`;
    let sql = visibleStatements.get(key);
    if (sql === undefined) {
      sql = `SELECT ${entityColumns(this.tx.manager, BlockerEntity, 'b')} FROM blocker b WHERE ${condition} AND ${visible.sql}`;
      visibleStatements.set(key, sql);
    }
    const rows = await this.tx.prepared<Record<string, unknown>>(
      sql,
      visible.param ? [value, visible.param] : [value],
    );
    return rows.map((row) => toEntity(BlockerEntity, row));
  }

  /**
   * Blockers the actor may see, narrowed by the filter. Without an explicit order: best match first
   * when the filter searches, else highest priority first.
   */
  async list(
    actor: Actor,
    args: PageArgs,
    filter: BlockerFilterValues = {},
    order: { field: BlockerOrderField; direction: SortDirection } | null = null,
  ): Promise<Page<BlockerEntity>> {
    const search = searchText(filter);
    const keyset = order
      ? blockerOrder(order.field, order.direction)
      : search !== null
        ? searchRankOrder(search)
        : blockerOrder(BlockerOrderField.PRIORITY, SortDirection.DESC);
    return keysetPage(blockerQuery(this.tx.manager, actor, filter), args, keyset, (b) => b);
  }

  // ------------------------------------------------------------------ report and update

  async report(actor: Actor, fields: ReportFields): Promise<ReportResult> {
    const needIds = [...new Set(fields.affectedNeedIds)];
    return this.tx.run(async () => {
      // First, before any lock, the open blockers that look like this one: a read in the report's
      // transaction, so that an answer in error means nothing was written (ADR 14).
      const possibleDuplicates = await this.possibleDuplicates(
        actor,
        fields.title,
        layerOf(fields.type),
        needIds,
      );
      // A report only adds: it runs beside other reports (ADR 12). The score lock (shared), then the
      // needs, in one statement.
      const needs = await this.needs.lockAfterShared(this.priority.reportLockKey, needIds);
      if (needs.length !== needIds.length) {
        throw BadUserInputError.field('input.affectedNeedIds', 'every affected need must exist');
      }
      if (needs.some((n) => n.state === DataNeedState.WITHDRAWN)) {
        throw BadUserInputError.field('input.affectedNeedIds', 'a withdrawn need cannot be blocked');
      }
      ensure(
        Permissions.reportBlocker(actor, needs),
        'A steward reports blockers on needs where their provider is requester or supplier',
      );
      const reportingProviderId = await this.reportingProvider(
        actor,
        fields.reportingProviderId,
        needs.find((n) => n.id === needIds[0])!,
      );
      if (fields.ownerId) await this.requireProvider(fields.ownerId, 'input.ownerId');
      const impact = impactColumns(fields.impact);
      // One statement: the blocker, its links (their foreign key is checked at its end), the needs'
      // state (BLOCKED: the new blocker is open) and the row locks over the neighbourhood whose scores
      // the new blocker changes (the new row is no one else's to lock). Its scores are read next, with a
      // snapshot taken after those locks.
      const m = this.tx.manager;
      // A prepared statement, as the scores' two (ADR 14): the same text on every report.
      const [inserted] = await this.tx.prepared<Record<string, unknown> & { neighbourhood: string[] }>(
        `WITH RECURSIVE b AS (
           INSERT INTO blocker AS b (title, description, type, layer, perceived, legal_reference, severity, status,
                                confidential, reported_by_id, reporting_provider_id, owner_id,
                                people_affected_per_year, businesses_affected_per_year, manual_hours_per_year,
                                cost_per_year_eur, effort, target_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
           RETURNING ${entityColumns(m, BlockerEntity, 'b')}
         ), links AS (
           INSERT INTO blocker_need (blocker_id, need_id) SELECT b.id, unnest($19::uuid[]) FROM b
         ), blocked AS (
           ${this.needs.markBlockedSql('$19')}
         ), ${this.priority.neighbourhoodLock('locked', "'{}'", '$19')}
         SELECT b.*, (SELECT coalesce(array_agg(id), '{}') FROM locked) AS neighbourhood FROM b`,
        [
          fields.title,
          fields.description,
          fields.type,
          layerOf(fields.type),
          fields.perceived ?? false,
          fields.legalReference ?? null,
          fields.severity,
          BlockerStatus.REPORTED,
          fields.confidential ?? false,
          actor.userId,
          reportingProviderId,
          fields.ownerId ?? null,
          impact.peopleAffectedPerYear,
          impact.businessesAffectedPerYear,
          impact.manualHoursPerYear,
          impact.costPerYearEur,
          fields.effort ?? null,
          fields.targetDate ?? null,
          needIds,
        ],
      );
      const { neighbourhood, ...row } = inserted;
      const reported = toEntity(BlockerEntity, row);
      const { id } = reported;
      // The audit event is written by the scores' statement; its place in the chain is given at the
      // commit (ADR 14).
      const audit = this.writer.recording(actor, {
        action: 'blocker.reported',
        entityType: 'Blocker',
        entityId: id,
        blockerId: id,
        changes: [
          ...diff(null, reported, AUDITED_FIELDS),
          { field: 'affectedNeeds', from: null, to: needIds.map((n) => toGlobalId('DataNeed', n)) },
        ],
      });
      const scores = await this.priority.rewriteAfterReport(id, needIds, neighbourhood, audit);
      const own = scores.get(id);
      if (own) Object.assign(reported, { priorityScore: own.score, priorityFactors: own.factors });
      return { blocker: reported, possibleDuplicates };
    });
  }

  async update(
    actor: Actor,
    id: string,
    expectedVersion: number,
    fields: UpdateFields,
  ): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const before = await this.writer.lockVisible(actor, id);
      ensure(
        Permissions.updateBlocker(actor, before),
        'Only stewards of the reporting or owning provider, or STEERING, update a blocker',
      );
      if (fields.ownerId) await this.requireProvider(fields.ownerId, 'input.ownerId');
      const set: Partial<BlockerEntity> = {};
      const { impact, ...plain } = fields;
      for (const [key, value] of Object.entries(plain)) {
        if (value !== undefined) (set as Record<string, unknown>)[key] = value;
      }
      if (fields.type) set.layer = layerOf(fields.type);
      if (impact) Object.assign(set, impactColumns(impact, true));
      const changes = diff(before, { ...before, ...set }, AUDITED_FIELDS);
      if (changes.length === 0) {
        // Nothing to change: still refuse a stale version, but write nothing.
        if (before.version !== expectedVersion) await this.writer.write(id, expectedVersion, {});
        return before;
      }
      await this.writer.write(id, expectedVersion, set);
      await this.priority.recompute([id]);
      await this.writer.record(actor, {
        action: 'blocker.updated',
        entityType: 'Blocker',
        entityId: id,
        blockerId: id,
        changes,
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id });
    });
  }

  // ------------------------------------------------------------------ affected needs

  async linkNeed(
    actor: Actor,
    blockerId: string,
    needId: string,
    expectedVersion?: number | null,
  ): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      ensure(
        Permissions.updateBlocker(actor, blocker),
        'Only stewards of the reporting or owning provider, or STEERING, change affected needs',
      );
      const [need] = await this.needs.lock([needId]);
      if (!need) throw BadUserInputError.field('input.needId', 'no data need has this ID');
      if (need.state === DataNeedState.WITHDRAWN)
        throw BadUserInputError.field('input.needId', 'a withdrawn need cannot be blocked');
      const links = this.tx.manager.getRepository(BlockerNeedEntity);
      if (await links.existsBy({ blockerId, needId })) {
        throw BadUserInputError.field('input.needId', 'this need is already affected by the blocker');
      }
      await links.insert({ blockerId, needId });
      await this.writer.write(blockerId, expectedVersion, {});
      await this.needs.refreshStates([needId]);
      await this.priority.recompute([blockerId], [needId]);
      await this.writer.record(actor, {
        action: 'blocker.need_linked',
        entityType: 'Blocker',
        entityId: blockerId,
        blockerId,
        changes: [{ field: 'affectedNeeds', from: null, to: toGlobalId('DataNeed', needId) }],
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  async unlinkNeed(
    actor: Actor,
    blockerId: string,
    needId: string,
    expectedVersion?: number | null,
  ): Promise<BlockerEntity> {
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const blocker = await this.writer.lockVisible(actor, blockerId);
      ensure(
        Permissions.updateBlocker(actor, blocker),
        'Only stewards of the reporting or owning provider, or STEERING, change affected needs',
      );
      await this.needs.lock([needId]);
      const links = this.tx.manager.getRepository(BlockerNeedEntity);
      if (!(await links.existsBy({ blockerId, needId }))) {
        throw BadUserInputError.field('input.needId', 'this need is not affected by the blocker');
      }
      if ((await links.countBy({ blockerId })) <= 1) {
        throw BadUserInputError.field(
          'input.needId',
          'a blocker affects at least one need; link another first',
        );
      }
      await links.delete({ blockerId, needId });
      await this.writer.write(blockerId, expectedVersion, {});
      await this.needs.refreshStates([needId]);
      await this.priority.recompute([blockerId], [needId]);
      await this.writer.record(actor, {
        action: 'blocker.need_unlinked',
        entityType: 'Blocker',
        entityId: blockerId,
        blockerId,
        changes: [{ field: 'affectedNeeds', from: toGlobalId('DataNeed', needId), to: null }],
      });
      return this.tx.manager.getRepository(BlockerEntity).findOneByOrFail({ id: blockerId });
    });
  }

  // ------------------------------------------------------------------ comments

  async addComment(actor: Actor, blockerId: string, body: string): Promise<CommentEntity> {
    ensure(Permissions.comment(actor), 'Analysts read; they do not comment');
    return this.tx.run(async () => {
      await this.writer.lockVisible(actor, blockerId);
      const repo = this.tx.manager.getRepository(CommentEntity);
      const saved = await repo.save(repo.create({ blockerId, authorId: actor.userId, body }));
      await this.writer.record(actor, {
        action: 'comment.added',
        entityType: 'Comment',
        entityId: saved.id,
        blockerId,
        changes: [{ field: 'comment', from: null, to: toGlobalId('Comment', saved.id) }],
      });
      return saved;
    });
  }

  /**
   * A comment written earlier (elsewhere), recorded as it was: author, body and date stay on the row,
   * the audit event names the actor who records it. ADMIN only. Returns null when the blocker holds the
   * same comment already (author, date and body), so that a second run changes nothing, whoever runs it.
   */
  async recordComment(
    actor: Actor,
    blockerId: string,
    comment: { authorId: string; body: string; createdAt: Date },
  ): Promise<CommentEntity | null> {
    return this.tx.run(async () => {
      await this.writer.lockVisible(actor, blockerId);
      const repo = this.tx.manager.getRepository(CommentEntity);
      const { authorId, body, createdAt } = comment;
      if (await repo.existsBy({ blockerId, authorId, body, createdAt })) return null;
      // Checked after the look-up: re-reading a comment that is there already records nothing.
      ensure(Permissions.recordOnBehalf(actor), 'Only ADMIN records a comment in another user’s name');
      const saved = await repo.save(repo.create({ blockerId, authorId, body, createdAt }));
      await this.writer.record(actor, {
        action: 'comment.added',
        entityType: 'Comment',
        entityId: saved.id,
        blockerId,
        changes: [
          { field: 'comment', from: null, to: toGlobalId('Comment', saved.id) },
          { field: 'author', from: null, to: toGlobalId('User', authorId) },
        ],
      });
      return saved;
    });
  }

  async comments(actor: Actor, blockerId: string, args: PageArgs): Promise<Page<CommentEntity>> {
    const qb = this.tx.manager
      .getRepository(CommentEntity)
      .createQueryBuilder('c')
      .where('c.blocker_id = :blockerId', { blockerId });
    return keysetPage(
      qb,
      args,
      { expr: 'c.created_at', type: 'timestamptz', direction: 'ASC', name: 'created' },
      (c) => c,
    );
  }

  /** A comment whose blocker the actor can see. */
  async findVisibleComment(actor: Actor, id: string): Promise<CommentEntity | null> {
    const comment = await this.tx.manager.getRepository(CommentEntity).findOneBy({ id });
    if (!comment) return null;
    return (await this.findVisible(actor, comment.blockerId)) ? comment : null;
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Open blockers that look like a blocker with this title and layer on these needs (a report's,
   * searched before it is inserted): on the same need and in the same layer, or with a similar title
   * (shared significant words, Jaccard >= 0.3). Best first, at most 10; only what the actor may see.
   * Title candidates are at most 100 open blockers whose title shares a word with this one in the
   * search document (`search_vector`, weight A: the title's Dutch and English stems, stored,
   * so that neither a common word nor a missing one makes the search read every open title).
   * One statement: the candidates come back with the key and title that name them, and a caller
   * that shows more loads those blockers (`visibleInOrder`).
   */
  async possibleDuplicates(
    actor: Actor,
    title: string,
    layer: BlockerLayer,
    needIds: readonly string[],
  ): Promise<DuplicateCandidate[]> {
    const titleWords = [...words(title)];
    const visible = visibleRawSql(actor, 'b', 4);
    const titleQuery = titleWords.map((w) => `${w}:A`).join(' | ') || 'x';
    const params: unknown[] = [needIds, layer, titleQuery];
    if (visible.param) params.push(visible.param);
    // Planned for its values, never prepared: how common the title's words are decides the plan.
    const rows: Array<{ id: string; number: number; title: string; same_need_layer: boolean }> =
      await this.tx.manager.query(
        `SELECT b.id, b.number, b.title, TRUE AS same_need_layer
           FROM blocker b
          WHERE b.id IN (SELECT bn.blocker_id FROM blocker_need bn WHERE bn.need_id = ANY($1::uuid[]))
            AND b.layer = $2 AND b.status IN ${OPEN_STATUS_SQL} AND ${visible.sql}
         UNION ALL
         (SELECT b.id, b.number, b.title, FALSE
            FROM blocker b
           WHERE b.search_vector @@ (to_tsquery('dutch', $3) || to_tsquery('english', $3))
             AND b.status IN ${OPEN_STATUS_SQL} AND ${visible.sql}
           LIMIT 100)`,
        params,
      );
    const mine = new Set(titleWords);
    const best = new Map<string, DuplicateCandidate & { score: number }>();
    for (const row of rows) {
      const theirs = words(row.title);
      const shared = [...theirs].filter((w) => mine.has(w)).length;
      const jaccard = shared / Math.max(1, new Set([...mine, ...theirs]).size);
      if (!row.same_need_layer && jaccard < 0.3) continue;
      const score = (row.same_need_layer ? 1 : 0) + jaccard;
      if ((best.get(row.id)?.score ?? -1) < score)
        best.set(row.id, { id: row.id, number: row.number, title: row.title, score });
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || a.number - b.number)
      .slice(0, 10)
      .map(({ id, number, title }) => ({ id, number, title }));
  }

  private async reportingProvider(
    actor: Actor,
    requested: string | null | undefined,
    firstNeed: DataNeedEntity,
  ): Promise<string> {
    const own = stewardOf(actor);
    if (own && !seesAll(actor)) {
      if (requested && requested !== own)
        throw new ForbiddenError('A steward reports for their own provider');
      return own;
    }
    if (requested) {
      await this.requireProvider(requested, 'input.reportingProviderId');
      return requested;
    }
    return own ?? actor.providerId ?? firstNeed.requesterId;
  }

  private async requireProvider(id: string, field: string): Promise<void> {
    if (!(await this.tx.manager.getRepository(ProviderEntity).existsBy({ id }))) {
      throw BadUserInputError.field(field, 'no provider has this ID');
    }
  }

  /** Throws NOT_FOUND for a blocker the actor cannot see (it does not exist for them). */
  async requireVisible(actor: Actor, id: string): Promise<BlockerEntity> {
    const blocker = await this.findVisible(actor, id);
    if (!blocker) throw new NotFoundError('Blocker', id);
    return blocker;
  }
}

function impactColumns(impact: ImpactValues | null | undefined, onlyGiven = false): Partial<BlockerEntity> {
  const set: Partial<Record<keyof BlockerEntity, unknown>> = {};
  for (const [key, column] of Object.entries(IMPACT_COLUMNS) as Array<
    [keyof ImpactValues, keyof BlockerEntity]
  >) {
    const value = impact?.[key];
    if (onlyGiven && value === undefined) continue;
    set[column] =
      value === undefined || value === null ? null : key === 'costPerYearEur' ? String(value) : value;
  }
  return set as Partial<BlockerEntity>;
}
