import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import {
  BlockerEntity,
  BlockerLayer,
  BlockersService,
  BlockerStatus,
  CLOSED_STATUSES,
  isOpen,
  OPEN_STATUS_SQL,
  OPEN_STATUSES,
  visibilityClass,
  visibleInMemory,
  visibleRawSql,
} from '@app/blockers';
import { Actor, BadUserInputError, DomainError, FieldError, toGlobalId, TransactionService } from '@app/core';
import { DataNeedEntity } from '@app/needs';
import { ProviderEntity } from '@app/providers';
import { AnalyticsIndex } from './analytics-index.service';
import { GraphAnswer, GraphNodeKind } from './domain/blocker-graph';
import { ImpactMeasure, whatIf } from './domain/impact';
import { ImpactLists, impactLists } from './domain/impact-lists';
import { Ranking } from './domain/ranking';
import { RegistryGraphView } from './domain/registry-graph';
import { RegistryIndex } from './domain/registry-index';
import {
  AGE_BUCKETS,
  ageBucket,
  DAY_MS,
  LAYERS,
  median,
  ProgressReportData,
  renderProgressReport,
  REPORT_LIST_DEFAULT,
  REPORT_LIST_MAX,
  STALE_AFTER_DAYS,
  wholeDays,
} from './domain/report';

export interface ScoreResult {
  blocker: BlockerEntity;
  needsUnblocked: number;
  peopleReached: number;
  providersUnblocked: number;
}

export interface WhatIfResultData {
  needsUnblocked: DataNeedEntity[];
  needsStillBlocked: number;
  peopleReached: number;
  providersFullyUnblocked: ProviderEntity[];
  blockedByPrerequisites: BlockerEntity[];
}

export type FocusType = 'Provider' | 'Dataset' | 'Blocker';

export interface GraphRequest {
  focus?: { type: FocusType; id: string } | null;
  depth?: number | null;
  openOnly?: boolean | null;
  layers?: BlockerLayer[] | null;
  limit?: number | null;
  edgeLimit?: number | null;
}

export interface ExchangeCellData {
  requester: ProviderEntity;
  supplier: ProviderEntity;
  needs: number;
  blockedNeeds: number;
  openBlockers: number;
}

export interface StatsData {
  open: number;
  byStatus: Array<{ status: BlockerStatus; count: number }>;
  byLayer: Array<{ layer: BlockerLayer; open: number; resolved: number }>;
  ageing: Array<{ label: string; count: number }>;
  medianDaysToResolve: number | null;
  stale: number;
}

export interface ProgressReportResult {
  from: Date;
  to: Date;
  reported: number;
  resolved: number;
  reopened: number;
  medianDaysToResolve: number | null;
  byLayer: Array<{ layer: BlockerLayer; open: number; resolved: number }>;
  newBlockers: BlockerEntity[];
  resolvedBlockers: BlockerEntity[];
  staleBlockers: BlockerEntity[];
  markdown: string;
}

interface TransitionRow {
  blocker_id: string;
  number: number;
  at: Date;
  to_status: BlockerStatus;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  created_at: Date;
  layer: BlockerLayer;
  visible: boolean;
}

interface EndStateRow {
  id: string;
  status: BlockerStatus;
  changed_at: Date;
}

/** The visibility rule as a select-list column `visible`, its parameter after the query's own. */
function visibleColumn(actor: Actor, params: unknown[]): { sql: string; params: unknown[] } {
  const rule = visibleRawSql(actor, 'b', params.length + 1);
  return { sql: `(${rule.sql}) AS visible`, params: rule.param ? [...params, rule.param] : params };
}

export const GRAPH_DEFAULTS = { depth: 1, openOnly: true, limit: 500, edgeLimit: 2000 } as const;
export const MAX_GRAPH_DEPTH = 4;
export const MAX_GRAPH_NODES = 5000;
export const MAX_GRAPH_EDGES = 20000;
/** Graph views kept (one per viewer class and filters), the most recently used. */
const MAX_GRAPH_VIEWS = 8;

const FOCUS_KIND: Record<FocusType, GraphNodeKind> = {
  Provider: GraphNodeKind.PROVIDER,
  Dataset: GraphNodeKind.DATASET,
  Blocker: GraphNodeKind.BLOCKER,
};

export const MAX_CRITICAL = 100;
export const MAX_WHAT_IF = 1000;

/**
 * NOT_FOUND naming the input fields, as BAD_USER_INPUT does, and the IDs as the client sent them.
 * A blocker the viewer may not see is reported exactly like one that does not exist.
 */
export function notFound(type: string, ids: string[], fields: FieldError[]): DomainError {
  const shown = ids.map((id) => toGlobalId(type, id)).join(', ');
  return new DomainError('NOT_FOUND', `${type} ${shown} does not exist`, { fields });
}

const byNumber = (a: BlockerEntity, b: BlockerEntity): number => a.number - b.number;
const byName = (a: ProviderEntity, b: ProviderEntity): number =>
  a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byCreated = (a: DataNeedEntity, b: DataNeedEntity): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Graph questions, statistics and the progress report. Graph questions run the pure algorithms in
 * ./domain on the analytics index (ADR 10), which is brought up to date first; statistics and the
 * report are set-based statements. Confidentiality: computations see every blocker, so that what they say
 * about needs and providers is true; answers list only the blockers the viewer may see (the rule in
 * @app/blockers' blocker-visibility); counts include the others, as counts in statistics do.
 */
@Injectable()
export class AnalyticsService {
  private readonly graphViews = new Map<string, RegistryGraphView>();
  private readonly rankings = new Map<ImpactMeasure, Ranking>();

  constructor(
    private readonly tx: TransactionService,
    private readonly blockers: BlockersService,
    private readonly index: AnalyticsIndex,
  ) {}

  private query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.tx.manager.query<T[]>(sql, params);
  }

  // ---------------------------------------------------------------- impact, critical, what-if

  /**
   * blockerImpact from the index: every list as rows of the index, in answer order (ADR 10). A blocker
   * the viewer may not see is NOT_FOUND, exactly like one that does not exist.
   */
  async impact(actor: Actor, blockerId: string, field = 'id'): Promise<ImpactLists> {
    const index = await this.index.current();
    const visible = this.visibility(actor, index);
    const lists = visible(blockerId) ? impactLists(index, blockerId, visible) : null;
    if (!lists) throw notFound('Blocker', [blockerId], [{ field, message: 'no blocker has this ID' }]);
    return lists;
  }

  /**
   * The stored rows behind ids of the index, for answers that ask more than the index holds: one
   * statement per kind asked for. Blockers only as the viewer may see them (ADR 7's predicate).
   */
  async entities(
    actor: Actor,
    ids: { needs?: readonly string[]; providers?: readonly string[]; blockers?: readonly string[] },
  ): Promise<{
    needs: Map<string, DataNeedEntity>;
    providers: Map<string, ProviderEntity>;
    blockers: Map<string, BlockerEntity>;
  }> {
    const byId = <T extends { id: string }>(rows: T[]): Map<string, T> => new Map(rows.map((r) => [r.id, r]));
    return {
      needs: byId(await this.needsByIds(ids.needs ?? [])),
      providers: byId(await this.providersByIds(ids.providers ?? [])),
      blockers: byId(
        ids.blockers?.length ? await this.blockers.visibleByIds(actor, [...new Set(ids.blockers)]) : [],
      ),
    };
  }

  async criticalBlockers(actor: Actor, first: number, by: ImpactMeasure): Promise<ScoreResult[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_CRITICAL) {
      throw BadUserInputError.field('first', `must be between 1 and ${MAX_CRITICAL}`);
    }
    const index = await this.index.current();
    const ranked = this.ranking(index, by).visibleFirst(first, this.visibility(actor, index));
    const found = await this.blockersByIds(
      actor,
      ranked.map((r) => r.blockerId),
    );
    const entities = new Map(found.map((b) => [b.id, b]));
    return ranked
      .filter((r) => entities.has(r.blockerId))
      .map(({ blockerId, ...score }) => ({ blocker: entities.get(blockerId)!, ...score }));
  }

  /** Resolve exactly these blockers; `fieldOf(i)` names the input field of the i-th id. */
  async whatIf(
    actor: Actor,
    blockerIds: readonly string[],
    fieldOf: (index: number) => string = (i) => `resolve.${i}`,
  ): Promise<WhatIfResultData> {
    if (blockerIds.length > MAX_WHAT_IF) {
      throw BadUserInputError.field('resolve', `at most ${MAX_WHAT_IF} blockers at a time`);
    }
    const found = new Set(
      (await this.blockers.visibleByIds(actor, [...new Set(blockerIds)])).map((b) => b.id),
    );
    const missing = blockerIds.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
    if (missing.length > 0) {
      throw notFound(
        'Blocker',
        missing.map((m) => m.id),
        missing.map((m) => ({ field: fieldOf(m.i), message: 'no blocker has this ID' })),
      );
    }
    const index = await this.index.current();
    const result = whatIf(index.impactGraph, blockerIds);
    return {
      needsUnblocked: await this.needsByIds(result.needsUnblocked),
      needsStillBlocked: result.needsStillBlocked,
      peopleReached: result.peopleReached,
      providersFullyUnblocked: await this.providersByIds(result.providersFullyUnblocked),
      blockedByPrerequisites: await this.blockersByIds(actor, result.blockedByPrerequisites),
    };
  }

  // ---------------------------------------------------------------- the graph

  async graph(actor: Actor, request: GraphRequest = {}): Promise<GraphAnswer> {
    const depth = request.depth ?? GRAPH_DEFAULTS.depth;
    const limit = request.limit ?? GRAPH_DEFAULTS.limit;
    const edgeLimit = request.edgeLimit ?? GRAPH_DEFAULTS.edgeLimit;
    const openOnly = request.openOnly ?? GRAPH_DEFAULTS.openOnly;
    const bad: FieldError[] = [];
    if (!Number.isInteger(depth) || depth < 0 || depth > MAX_GRAPH_DEPTH)
      bad.push({ field: 'input.depth', message: `must be between 0 and ${MAX_GRAPH_DEPTH}` });
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GRAPH_NODES)
      bad.push({ field: 'input.limit', message: `must be between 1 and ${MAX_GRAPH_NODES}` });
    if (!Number.isInteger(edgeLimit) || edgeLimit < 1 || edgeLimit > MAX_GRAPH_EDGES)
      bad.push({ field: 'input.edgeLimit', message: `must be between 1 and ${MAX_GRAPH_EDGES}` });
    if (bad.length > 0) throw new BadUserInputError(bad);
    const focus = request.focus ?? null;
    const index = await this.index.current();
    if (focus) this.requireFocus(actor, index, focus);
    const view = this.graphView(actor, index, openOnly, request.layers ?? null);
    const answer = view.neighbourhood({
      focusId: focus ? view.focus(FOCUS_KIND[focus.type], focus.id) : null,
      depth,
      limit,
      edgeLimit,
    });
    // Priority scores change without an audit event of their own (a neighbour's recompute): read them.
    const blockerIds: string[] = [];
    for (const n of answer.nodes)
      if (n.kind === GraphNodeKind.BLOCKER) blockerIds.push(view.localIdOf(n.id)!);
    const scores = new Map(
      (
        await this.query<{ id: string; priority_score: number }>(
          'SELECT id, priority_score FROM blocker WHERE id = ANY($1::uuid[])',
          [blockerIds],
        )
      ).map((r) => [r.id, r.priority_score]),
    );
    // The view's answer is shared: blockers get new nodes with their weight.
    return {
      ...answer,
      nodes: answer.nodes.map((n) =>
        n.kind === GraphNodeKind.BLOCKER ? { ...n, weight: scores.get(view.localIdOf(n.id)!) ?? 0 } : n,
      ),
    };
  }

  /** The blocker graph as this viewer sees it with these filters, kept across patches of the index. */
  private graphView(
    actor: Actor,
    index: RegistryIndex,
    openOnly: boolean,
    layers: readonly BlockerLayer[] | null,
  ): RegistryGraphView {
    const layerSet = layers?.length ? new Set<string>(layers) : null;
    const key = [visibilityClass(actor), openOnly, layerSet ? [...layerSet].sort().join(',') : '*'].join('|');
    const cached = this.graphViews.get(key);
    if (cached && cached.index === index && cached.catchUp()) return cached;
    const visible = this.visibility(actor, index);
    const view = new RegistryGraphView(index, {
      openOnly,
      shows: (id) =>
        (!openOnly || index.isOpen(id)) &&
        (!layerSet || layerSet.has(index.blockers.get(id)!.layer)) &&
        visible(id),
      globalId: toGlobalId,
    });
    this.graphViews.delete(key);
    this.graphViews.set(key, view);
    // Keep the most recently used few.
    for (const old of this.graphViews.keys()) {
      if (this.graphViews.size <= MAX_GRAPH_VIEWS) break;
      this.graphViews.delete(old);
    }
    return view;
  }

  /** Which blockers of the index this viewer may see: the rule of visibleRawSql, in memory. */
  private visibility(actor: Actor, index: RegistryIndex): (blockerId: string) => boolean {
    const rule = visibleInMemory(actor);
    return (id) => {
      const b = index.blockers.get(id);
      return (
        b !== undefined &&
        rule({
          confidential: b.confidential,
          reportingProviderId: b.reportingProviderId,
          ownerId: b.ownerId,
          endorsedBy: (p) => index.endorsers.get(id)?.has(p) ?? false,
          affects: (p) => index.affectedProvidersOf(id).has(p),
        })
      );
    };
  }

  /** Every open blocker ranked by the measure; computed once per index and measure, then patched. */
  private ranking(index: RegistryIndex, by: ImpactMeasure): Ranking {
    const cached = this.rankings.get(by);
    if (cached && cached.index === index && cached.catchUp()) return cached;
    const ranking = Ranking.of(index, by);
    this.rankings.set(by, ranking);
    return ranking;
  }

  /** The focus must exist, and a blocker must be one the viewer may see (else NOT_FOUND, as if absent). */
  private requireFocus(actor: Actor, index: RegistryIndex, focus: { type: FocusType; id: string }): void {
    const exists =
      focus.type === 'Blocker'
        ? this.visibility(actor, index)(focus.id)
        : focus.type === 'Provider'
          ? index.providers.has(focus.id)
          : index.datasets.has(focus.id);
    if (!exists) {
      throw notFound(focus.type, [focus.id], [{ field: 'input.focusId', message: 'nothing has this ID' }]);
    }
  }

  // ---------------------------------------------------------------- exchange matrix

  /**
   * Requester x supplier cells. openOnly: live needs (not withdrawn) and only cells with a blocked
   * need; otherwise every pair with a need, withdrawn ones included. Open blockers are counted once
   * per cell, confidential ones too (numbers only).
   */
  async exchangeMatrix(_actor: Actor, openOnly: boolean): Promise<ExchangeCellData[]> {
    const rows = await this.query<{
      requester_id: string;
      supplier_id: string;
      needs: number;
      blocked_needs: number;
      open_blockers: number;
    }>(
      `WITH open_links AS (
         SELECT bn.need_id, bn.blocker_id FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
         WHERE b.status = ANY($1::blocker_status[])
       ), cells AS (
         SELECT n.requester_id, n.supplier_id,
                count(DISTINCT n.id)::int AS needs,
                count(DISTINCT n.id) FILTER (WHERE ol.blocker_id IS NOT NULL)::int AS blocked_needs,
                count(DISTINCT ol.blocker_id)::int AS open_blockers
         FROM data_need n LEFT JOIN open_links ol ON ol.need_id = n.id
         WHERE NOT $2::boolean OR n.state <> 'WITHDRAWN'
         GROUP BY n.requester_id, n.supplier_id
       )
       SELECT * FROM cells WHERE NOT $2::boolean OR blocked_needs > 0`,
      [OPEN_STATUSES, openOnly],
    );
    const providers = new Map(
      (await this.providersByIds(rows.flatMap((r) => [r.requester_id, r.supplier_id]))).map((p) => [p.id, p]),
    );
    return rows
      .map((r) => ({
        requester: providers.get(r.requester_id)!,
        supplier: providers.get(r.supplier_id)!,
        needs: r.needs,
        blockedNeeds: r.blocked_needs,
        openBlockers: r.open_blockers,
      }))
      .sort(
        (a, b) =>
          b.blockedNeeds - a.blockedNeeds ||
          b.openBlockers - a.openBlockers ||
          b.needs - a.needs ||
          byName(a.requester, b.requester) ||
          byName(a.supplier, b.supplier),
      );
  }

  // ---------------------------------------------------------------- statistics

  /** Registry statistics. Counts include confidential blockers (numbers only). */
  async stats(_actor: Actor, now: Date = new Date()): Promise<StatsData> {
    const rows = await this.query<{ status: BlockerStatus; layer: BlockerLayer; n: number }>(
      'SELECT status, layer, count(*)::int AS n FROM blocker GROUP BY status, layer',
    );
    const ages = await this.query<{ days: number; n: number }>(
      `SELECT floor(extract(epoch FROM $2::timestamptz - created_at) / 86400)::int AS days, count(*)::int AS n
       FROM blocker WHERE status = ANY($1::blocker_status[]) GROUP BY 1`,
      [OPEN_STATUSES, now],
    );
    const [summary] = await this.query<{ median_days: number | null; stale: number }>(
      `SELECT
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 86400)
            FROM blocker WHERE status = 'RESOLVED' AND resolved_at IS NOT NULL) AS median_days,
         (SELECT count(*)::int FROM blocker WHERE status = ANY($1::blocker_status[])
            AND status_changed_at <= $2::timestamptz - make_interval(days => $3)) AS stale`,
      [OPEN_STATUSES, now, STALE_AFTER_DAYS],
    );
    const count = (where: (r: { status: BlockerStatus; layer: BlockerLayer }) => boolean): number =>
      rows.filter(where).reduce((s, r) => s + r.n, 0);
    const ageing = new Map(AGE_BUCKETS.map((b) => [b.label, 0]));
    for (const { days, n } of ages) {
      const label = ageBucket(Math.max(0, days));
      ageing.set(label, ageing.get(label)! + n);
    }
    return {
      open: count((r) => isOpen(r.status)),
      byStatus: Object.values(BlockerStatus).map((status) => ({
        status,
        count: count((r) => r.status === status),
      })),
      byLayer: LAYERS.map((layer) => ({
        layer,
        open: count((r) => r.layer === layer && isOpen(r.status)),
        resolved: count((r) => r.layer === layer && r.status === BlockerStatus.RESOLVED),
      })),
      ageing: [...ageing].map(([label, n]) => ({ label, count: n })),
      medianDaysToResolve: summary.median_days === null ? null : Number(summary.median_days),
      stale: summary.stale,
    };
  }

  // ---------------------------------------------------------------- progress report

  /**
   * The progress report for [from, to): what was reported, resolved (a transition to RESOLVED in the
   * period; the last one counts) and reopened (a transition from a closed status to TRIAGED), each
   * blocker counted once; per layer what was open at the end and what was resolved in the period.
   * End-of-period figures describe min(to, now), reconstructed from the audit trail's status changes.
   * Counts include confidential blockers; the lists and the Markdown name only what the viewer sees,
   * the first `first` of each list.
   */
  async progressReport(
    actor: Actor,
    from: Date,
    to: Date,
    first: number = REPORT_LIST_DEFAULT,
    now: Date = new Date(),
  ): Promise<ProgressReportResult> {
    const bad: FieldError[] = [];
    if (!(from.getTime() < to.getTime())) bad.push({ field: 'to', message: 'must be later than from' });
    if (!Number.isInteger(first) || first < 1 || first > REPORT_LIST_MAX)
      bad.push({ field: 'first', message: `must be between 1 and ${REPORT_LIST_MAX}` });
    if (bad.length > 0) throw new BadUserInputError(bad);
    const asOf = new Date(Math.min(to.getTime(), now.getTime()));
    const created = await this.createdIn(actor, from, to, first);
    const { resolved, reopened } = await this.transitionsIn(actor, from, to);
    const end = await this.openAt(actor, asOf, first);
    const daysToResolve = (e: TransitionRow): number => (e.at.getTime() - e.created_at.getTime()) / DAY_MS;
    const medianDaysToResolve = median(resolved.map(daysToResolve));
    const byLayer = LAYERS.map((layer) => ({
      layer,
      open: end.openByLayer.get(layer) ?? 0,
      resolved: resolved.filter((e) => e.layer === layer).length,
    }));

    // Each list: the blockers the viewer may see, in its order; the first `first` of them are listed.
    const resolvable = resolved.filter((e) => e.visible).sort((a, b) => a.number - b.number);
    const lists = {
      newBlockers: { ids: created.first, listable: created.listable },
      resolvedBlockers: {
        ids: resolvable.slice(0, first).map((e) => e.blocker_id),
        listable: resolvable.length,
      },
      staleBlockers: { ids: end.staleFirst.map((b) => b.id), listable: end.staleListable },
    };
    const entities = new Map(
      (
        await this.blockers.visibleByIds(actor, [
          ...new Set([...lists.newBlockers.ids, ...lists.resolvedBlockers.ids, ...lists.staleBlockers.ids]),
        ])
      ).map((b) => [b.id, b]),
    );
    const pick = (list: { ids: string[] }): BlockerEntity[] =>
      list.ids.map((id) => entities.get(id)).filter((b): b is BlockerEntity => b !== undefined);
    const newBlockers = pick(lists.newBlockers);
    const resolvedBlockers = pick(lists.resolvedBlockers);
    const staleBlockers = pick(lists.staleBlockers);
    const owners = new Map(
      (await this.providersByIds(staleBlockers.flatMap((b) => (b.ownerId ? [b.ownerId] : [])))).map((p) => [
        p.id,
        p.abbreviation ?? p.name,
      ]),
    );
    const resolutionEvent = new Map(resolved.map((e) => [e.blocker_id, e]));
    const endState = new Map(end.staleFirst.map((b) => [b.id, b]));
    const line = (b: BlockerEntity) => ({
      key: `KNP-${b.number}`,
      title: b.title,
      layer: b.layer,
      severity: b.severity,
      status: b.status,
    });

    const report: ProgressReportData = {
      from,
      to,
      asOf,
      reported: created.total,
      resolved: resolved.length,
      reopened,
      openAtEnd: end.open,
      stale: end.stale,
      medianDaysToResolve,
      byLayer,
      listable: {
        newBlockers: lists.newBlockers.listable,
        resolvedBlockers: lists.resolvedBlockers.listable,
        staleBlockers: lists.staleBlockers.listable,
      },
      newBlockers: newBlockers.map(line),
      resolvedBlockers: resolvedBlockers.map((b) => {
        const event = resolutionEvent.get(b.id)!;
        return {
          ...line(b),
          resolvedAt: event.at,
          daysToResolve: daysToResolve(event),
          resolution: resolutionOf(event.changes, b),
        };
      }),
      staleBlockers: staleBlockers.map((b) => {
        const state = endState.get(b.id)!;
        return {
          ...line(b),
          status: state.status,
          owner: b.ownerId ? (owners.get(b.ownerId) ?? null) : null,
          statusChangedAt: state.changed_at,
          daysWithoutChange: wholeDays(state.changed_at, asOf),
        };
      }),
    };
    return {
      from,
      to,
      reported: report.reported,
      resolved: report.resolved,
      reopened: report.reopened,
      medianDaysToResolve,
      byLayer,
      newBlockers,
      resolvedBlockers,
      staleBlockers,
      markdown: renderProgressReport(report),
    };
  }

  /**
   * How many blockers were reported in [from, to), how many the viewer sees, the first of those by key.
   * Both read ix_blocker_created alone (it includes what the count and the visibility rule look at).
   */
  private async createdIn(
    actor: Actor,
    from: Date,
    to: Date,
    first: number,
  ): Promise<{ total: number; listable: number; first: string[] }> {
    const visible = visibleRawSql(actor, 'b', 4);
    const [row] = await this.query<{ total: number; listable: number; first: string[] }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE created.visible)::int AS listable,
              (SELECT coalesce(array_agg(f.id::text ORDER BY f.number), '{}') FROM (
                 SELECT b.id, b.number FROM blocker b
                 WHERE b.created_at >= $1 AND b.created_at < $2 AND ${visible.sql}
                 -- number + 0: the period's blockers sorted, not found by walking uq_blocker_number from
                 -- the first key, which passes every blocker reported before the period.
                 ORDER BY b.number + 0 LIMIT $3) f) AS first
       FROM (SELECT ${visible.sql} AS visible FROM blocker b
             WHERE b.created_at >= $1 AND b.created_at < $2) created`,
      visible.param ? [from, to, first, visible.param] : [from, to, first],
    );
    return row;
  }

  /**
   * The last transition to RESOLVED in [from, to) of each blocker, and how many blockers were reopened
   * (moved from a closed status to TRIAGED) in it, from the audit trail.
   */
  private async transitionsIn(
    actor: Actor,
    from: Date,
    to: Date,
  ): Promise<{ resolved: TransitionRow[]; reopened: number }> {
    const visible = visibleColumn(actor, [from, to, CLOSED_STATUSES]);
    const events = await this.query<TransitionRow>(
      `SELECT e.entity_id AS blocker_id, e.at, c->>'to' AS to_status, e.changes, b.created_at, b.layer, b.number,
              ${visible.sql}
       FROM audit_event e
       CROSS JOIN LATERAL jsonb_array_elements(e.changes) c
       JOIN blocker b ON b.id = e.entity_id
       WHERE e.entity_type = 'Blocker' AND e.action = 'blocker.transitioned' AND c->>'field' = 'status'
         AND e.at >= $1 AND e.at < $2
         AND (c->>'to' = 'RESOLVED' OR (c->>'to' = 'TRIAGED' AND c->>'from' = ANY($3::text[])))
       ORDER BY e.id`,
      visible.params,
    );
    const resolved = new Map<string, TransitionRow>();
    const reopened = new Set<string>();
    for (const e of events) {
      if (e.to_status === BlockerStatus.RESOLVED) resolved.set(e.blocker_id, e);
      else reopened.add(e.blocker_id);
    }
    return { resolved: [...resolved.values()], reopened: reopened.size };
  }

  /**
   * The blockers open at `asOf`, with their status then and when it last changed, counted per layer; the
   * stale ones (unchanged for STALE_AFTER_DAYS) counted, and the first the viewer sees listed, longest
   * unchanged first.
   *
   * A status change writes the blocker's status and status_changed_at and its audit event in one
   * transaction, at one now(). So a blocker whose status_changed_at is before `asOf` had its present
   * status since then (ix_blocker_open_since holds the open ones with what is counted). Only the
   * blockers changed since `asOf` are looked up in the audit trail: their status at `asOf` is the last
   * status change recorded before it, else REPORTED since they were reported. A period ending now
   * has none of those.
   */
  private async openAt(
    actor: Actor,
    asOf: Date,
    first: number,
  ): Promise<{
    open: number;
    openByLayer: Map<BlockerLayer, number>;
    stale: number;
    staleListable: number;
    staleFirst: EndStateRow[];
  }> {
    const staleBefore = new Date(asOf.getTime() - STALE_AFTER_DAYS * DAY_MS);
    const visible = visibleRawSql(actor, 'b', 4);
    const rows = await this.query<{
      layer: BlockerLayer | null;
      open: number;
      stale: number;
      stale_listable: number;
      stale_first: Array<{ id: string; status: BlockerStatus; changed_at: string }> | null;
    }>(
      `WITH changed AS MATERIALIZED (
         SELECT b.id, b.layer, b.number, COALESCE(l.status, 'REPORTED') AS status,
                COALESCE(l.at, b.created_at) AS changed_at, ${visible.sql} AS visible
         FROM blocker b LEFT JOIN (
           SELECT DISTINCT ON (e.entity_id) e.entity_id AS id, c->>'to' AS status, e.at
           FROM audit_event e CROSS JOIN LATERAL jsonb_array_elements(e.changes) c
           WHERE e.entity_type = 'Blocker' AND c->>'field' = 'status' AND e.at < $1
             AND e.entity_id IN (SELECT s.id FROM blocker s WHERE s.status_changed_at >= $1 AND s.created_at < $1)
           ORDER BY e.entity_id, e.id DESC
         ) l ON l.id = b.id
         WHERE b.status_changed_at >= $1 AND b.created_at < $1
       ), open_end AS (
         -- Compared at the millisecond, as dates are in the application.
         SELECT b.layer, date_trunc('milliseconds', b.status_changed_at) <= $2 AS stale, ${visible.sql} AS visible
         FROM blocker b
         WHERE b.status IN ${OPEN_STATUS_SQL} AND b.status_changed_at < $1 AND b.created_at < $1
         UNION ALL
         SELECT x.layer, date_trunc('milliseconds', x.changed_at) <= $2, x.visible
         FROM changed x WHERE x.status IN ${OPEN_STATUS_SQL}
       )
       SELECT o.layer, count(*)::int AS open, count(*) FILTER (WHERE o.stale)::int AS stale,
              count(*) FILTER (WHERE o.stale AND o.visible)::int AS stale_listable, NULL::json AS stale_first
       FROM open_end o GROUP BY o.layer
       UNION ALL
       SELECT NULL, 0, 0, 0, (SELECT coalesce(json_agg(s ORDER BY s.changed_at, s.number), '[]'::json) FROM (
         SELECT u.* FROM (
           (SELECT b.id, b.status::text AS status, b.status_changed_at AS changed_at, b.number FROM blocker b
            WHERE b.status IN ${OPEN_STATUS_SQL} AND b.status_changed_at < $1 AND b.created_at < $1
              AND b.status_changed_at < $2::timestamptz + interval '1 millisecond'
              AND date_trunc('milliseconds', b.status_changed_at) <= $2 AND ${visible.sql}
            ORDER BY b.status_changed_at, b.number LIMIT $3)
           UNION ALL
           SELECT x.id, x.status, x.changed_at, x.number FROM changed x
           WHERE x.status IN ${OPEN_STATUS_SQL} AND date_trunc('milliseconds', x.changed_at) <= $2 AND x.visible
         ) u ORDER BY u.changed_at, u.number LIMIT $3) s)`,
      visible.param ? [asOf, staleBefore, first, visible.param] : [asOf, staleBefore, first],
    );
    const layers = rows.filter((r) => r.layer !== null);
    const sum = (f: (r: (typeof rows)[number]) => number): number => layers.reduce((n, r) => n + f(r), 0);
    return {
      open: sum((r) => r.open),
      openByLayer: new Map(layers.map((r) => [r.layer!, r.open])),
      stale: sum((r) => r.stale),
      staleListable: sum((r) => r.stale_listable),
      staleFirst: (rows.find((r) => r.layer === null)?.stale_first ?? []).map((r) => ({
        id: r.id,
        status: r.status,
        changed_at: new Date(r.changed_at),
      })),
    };
  }

  // ---------------------------------------------------------------- loading

  private async needsByIds(ids: readonly string[]): Promise<DataNeedEntity[]> {
    if (ids.length === 0) return [];
    return (await this.tx.manager.getRepository(DataNeedEntity).findBy({ id: In([...new Set(ids)]) })).sort(
      byCreated,
    );
  }

  private async providersByIds(ids: readonly string[]): Promise<ProviderEntity[]> {
    if (ids.length === 0) return [];
    return (await this.tx.manager.getRepository(ProviderEntity).findBy({ id: In([...new Set(ids)]) })).sort(
      byName,
    );
  }

  private async blockersByIds(actor: Actor, ids: readonly string[]): Promise<BlockerEntity[]> {
    return (await this.blockers.visibleByIds(actor, [...new Set(ids)])).sort(byNumber);
  }
}

/** The resolution a RESOLVED transition recorded, else the blocker's current one. */
function resolutionOf(
  changes: ReadonlyArray<{ field: string; to: unknown }>,
  b: BlockerEntity,
): { kind: string; summary: string; reference: string | null } | null {
  const recorded = (field: string): string | null => {
    const value = changes.find((c) => c.field === field)?.to;
    return typeof value === 'string' ? value : null;
  };
  const kind = recorded('resolutionKind') ?? b.resolutionKind;
  const summary = recorded('resolutionSummary') ?? b.resolutionSummary;
  if (!kind || !summary) return null;
  return { kind, summary, reference: recorded('resolutionReference') ?? b.resolutionReference };
}
