import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
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
import { BlockerType, Effort, layerOf, Severity } from './domain/taxonomy';
import { BlockerStatus, OPEN_STATUSES } from './domain/workflow';
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

export interface ReportResult {
  blocker: BlockerEntity;
  possibleDuplicates: BlockerEntity[];
}

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

  /**
   * Blockers matching `condition` (on $1) that the actor may see, by hand-written SQL: these reads
   * serve every lookup and every loaded blocker, where building and hydrating through TypeORM's query
   * builder cost more than the statement.
   */
  private async visibleWhere(actor: Actor, condition: string, value: unknown): Promise<BlockerEntity[]> {
    const m = this.tx.manager;
    const visible = visibleRawSql(actor, 'b', 2);
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT ${entityColumns(m, BlockerEntity, 'b')} FROM blocker b WHERE ${condition} AND ${visible.sql}`,
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
    return this.tx.run(async () => {
      await this.priority.lockScores();
      const needIds = [...new Set(fields.affectedNeedIds)];
      const needs = await this.needs.lock(needIds);
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
      const repo = this.tx.manager.getRepository(BlockerEntity);
      const inserted = await repo.insert({
        title: fields.title,
        description: fields.description,
        type: fields.type,
        layer: layerOf(fields.type),
        perceived: fields.perceived ?? false,
        legalReference: fields.legalReference ?? null,
        severity: fields.severity,
        status: BlockerStatus.REPORTED,
        confidential: fields.confidential ?? false,
        reportedById: actor.userId,
        reportingProviderId,
        ownerId: fields.ownerId ?? null,
        ...impactColumns(fields.impact),
        effort: fields.effort ?? null,
        targetDate: fields.targetDate ?? null,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.tx.manager
        .getRepository(BlockerNeedEntity)
        .insert(needIds.map((needId) => ({ blockerId: id, needId })));
      await this.needs.refreshStates(needIds);
      await this.priority.recompute([id]);
      const blocker = await repo.findOneByOrFail({ id });
      await this.writer.record(actor, {
        action: 'blocker.reported',
        entityType: 'Blocker',
        entityId: id,
        blockerId: id,
        changes: [
          ...diff(null, blocker, AUDITED_FIELDS),
          { field: 'affectedNeeds', from: null, to: needIds.map((n) => toGlobalId('DataNeed', n)) },
        ],
      });
      const possibleDuplicates = await this.possibleDuplicates(actor, blocker, needIds);
      return { blocker, possibleDuplicates };
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
   * Open blockers that look like the same problem: on the same need and in the same layer, or with a
   * similar title (shared significant words, Jaccard >= 0.3). Best first; only what the actor may see.
   */
  async possibleDuplicates(
    actor: Actor,
    blocker: BlockerEntity,
    needIds: string[],
  ): Promise<BlockerEntity[]> {
    const titleWords = [...words(blocker.title)];
    const visible = visibleRawSql(actor, 'b', 6);
    const params: unknown[] = [
      blocker.id,
      needIds,
      blocker.layer,
      OPEN_STATUSES,
      titleWords.join(' | ') || 'x',
    ];
    if (visible.param) params.push(visible.param);
    const rows: Array<{ id: string; same_need_layer: boolean }> = await this.tx.manager.query(
      `SELECT b.id,
              (b.layer = $3 AND EXISTS (SELECT 1 FROM blocker_need bn WHERE bn.blocker_id = b.id AND bn.need_id = ANY($2::uuid[]))) AS same_need_layer
       FROM blocker b
       WHERE b.id <> $1 AND b.status = ANY($4::blocker_status[]) AND ${visible.sql}
         AND ((b.layer = $3 AND EXISTS (SELECT 1 FROM blocker_need bn WHERE bn.blocker_id = b.id AND bn.need_id = ANY($2::uuid[])))
              OR to_tsvector('simple', b.title) @@ to_tsquery('simple', $5))
       LIMIT 100`,
      params,
    );
    if (rows.length === 0) return [];
    const candidates = await this.tx.manager
      .getRepository(BlockerEntity)
      .findBy({ id: In(rows.map((r) => r.id)) });
    const sameNeed = new Map(rows.map((r) => [r.id, r.same_need_layer]));
    const mine = new Set(titleWords);
    const scored = candidates
      .map((c) => {
        const theirs = words(c.title);
        const shared = [...theirs].filter((w) => mine.has(w)).length;
        const jaccard = shared / Math.max(1, new Set([...mine, ...theirs]).size);
        return {
          c,
          score: (sameNeed.get(c.id) ? 1 : 0) + jaccard,
          keep: sameNeed.get(c.id) || jaccard >= 0.3,
        };
      })
      .filter((s) => s.keep)
      .sort((a, b) => b.score - a.score || a.c.number - b.c.number);
    return scored.slice(0, 10).map((s) => s.c);
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
