import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { AlongsideStatement, TransactionService } from '@app/core';
import { buildGraph, DependencyGraph } from './domain/graph';
import { computePriority } from './domain/priority';
import {
  countsAfterReport,
  NeedLink,
  PriorityCounts,
  priorityCounts,
  storedCounts,
} from './domain/priority-inputs';
import { Effort, Severity } from './domain/taxonomy';
import { BlockerStatus, isOpen, OPEN_STATUS_SQL } from './domain/workflow';
import { StoredFactor } from './entities/blocker.entity';

interface BlockerRow {
  id: string;
  status: BlockerStatus;
  severity: Severity;
  people_affected_per_year: number | null;
  manual_hours_per_year: number | null;
  effort: Effort | null;
  target_date: string | null;
  endorsement_count: number;
  /** the stored counts (`PriorityCounts`), null when stored before they were */
  priority_inputs: unknown;
}

interface EdgeRow {
  blockerId: string;
  dependsOnId: string;
}

interface OpenLinkRow {
  need_id: string;
  blocker_id: string;
}

interface LinkRow {
  blocker_id: string;
  need_id: string;
  annual_cases: number | null;
  requester_id: string;
  supplier_id: string;
}

/**
 * The score lock (ADR 12). A report of a new blocker takes it shared: reports only add (a new open
 * blocker, its links to needs they lock, no dependencies), so they may run side by side, and the row
 * locks `recompute` takes keep two of them from writing one score from each other's stale picture.
 * Every other change that feeds scores takes it exclusive, before locking rows: it may change what a
 * neighbourhood is (dependencies, statuses, links to needs, weights of needs), which row locks over a
 * neighbourhood found beforehand cannot cover.
 */
const SCORE_LOCK = 4_812_211;

/**
 * Keeps every stored priority score equal to a fresh computation. After a change, `recompute` takes
 * the blockers it touched (and the needs), widens that to everything whose score can depend on them
 * (blockers sharing a need, and the whole dependency component), and rewrites the scores that moved.
 */
@Injectable()
export class PriorityService implements OnApplicationBootstrap {
  constructor(
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Weights are configuration: scores stored under other weights than the configured ones (the
   * configuration changed since they were computed) are recomputed when the server starts, and so are
   * scores stored without their counts (`priority_inputs`, stored before they were).
   */
  async onApplicationBootstrap(): Promise<void> {
    const count = await this.tx.run(async () => {
      await this.lockScores();
      const stale: Array<{ id: string }> = await this.tx.manager.query(
        `SELECT b.id FROM blocker b WHERE EXISTS (
           SELECT 1 FROM jsonb_array_elements(b.priority_factors) f
           WHERE (f->>'weight')::float8 IS DISTINCT FROM ($1::jsonb ->> (f->>'name'))::float8)
            OR b.priority_inputs IS NULL`,
        [JSON.stringify(this.config.priorityWeights)],
      );
      if (stale.length > 0) await this.recompute(stale.map((r) => r.id));
      return stale.length;
    });
    if (count > 0)
      new Logger('Priority').log(
        `recomputed ${count} scores stored under other weights or without their counts`,
      );
  }

  /**
   * Serialise this transaction with every other change that feeds scores, until it ends. Take it first,
   * before locking rows.
   */
  async lockScores(): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1)', [SCORE_LOCK]);
  }

  /**
   * For a report of a new blocker only: the key of the score lock, which the report takes shared
   * (`pg_advisory_xact_lock_shared`) in the statement that locks its needs, before any row lock. It runs
   * beside other reports, serialised with every other change that feeds scores.
   */
  readonly reportLockKey = SCORE_LOCK;

  /**
   * A `WITH` query (for a `WITH` list, named `name`) that locks, in id order, the existing blockers
   * whose scores depend on blockers `$blockers` and needs `$needs` (SQL parameter references): the
   * blockers sharing a need with them or on the needs, and their whole dependency component. It yields
   * their ids. A report puts it in the statement that inserts its blocker, whose own row no other
   * transaction sees.
   */
  neighbourhoodLock(name: string, blockers: string, needs: string): string {
    return `seed_${name} AS (
         SELECT unnest(${blockers}::uuid[]) AS id
         UNION SELECT bn2.blocker_id FROM blocker_need bn1 JOIN blocker_need bn2 ON bn2.need_id = bn1.need_id
               WHERE bn1.blocker_id = ANY(${blockers}::uuid[])
         UNION SELECT bn.blocker_id FROM blocker_need bn WHERE bn.need_id = ANY(${needs}::uuid[])
       ), comp_${name}(id) AS (
         SELECT id FROM seed_${name}
         UNION
         SELECT CASE WHEN d.blocker_id = c.id THEN d.depends_on_id ELSE d.blocker_id END
         FROM comp_${name} c JOIN blocker_dependency d ON d.blocker_id = c.id OR d.depends_on_id = c.id
       ), ${name} AS (
         SELECT b.id FROM blocker b WHERE b.id IN (SELECT id FROM comp_${name}) ORDER BY b.id FOR NO KEY UPDATE OF b
       )`;
  }

  /**
   * Rewrite the scores that depend on the given blockers and needs. The caller holds the score lock
   * (`lockScores`, or the shared one for a report). The blockers whose scores may be written are
   * locked here, in id order, before their inputs are read: a concurrent report that touches one of
   * them has either committed by then (and is read) or waits, and recomputes it after this one.
   */
  async recompute(blockerIds: readonly string[], needIds: readonly string[] = []): Promise<void> {
    const component: Array<{ id: string }> = await this.tx.manager.query(
      `WITH RECURSIVE ${this.neighbourhoodLock('locked', '$1', '$2')} SELECT id FROM locked`,
      [blockerIds, needIds],
    );
    await this.rewrite(component.map((r) => r.id));
  }

  /**
   * Recompute and store the scores of blockers `ids`, which the caller has locked (`recompute`, or a
   * statement with `neighbourhoodLock`) in an earlier statement: this one reads with a snapshot taken
   * after the locks. Returns the score written for each blocker.
   */
  async rewrite(
    ids: readonly string[],
    alongside?: AlongsideStatement,
  ): Promise<Map<string, { score: number; factors: StoredFactor[] }>> {
    if (ids.length === 0 && !alongside) return new Map();
    // One statement after the locks (a fresh snapshot that sees whatever committed while waiting).
    const [inputs] = await this.tx.manager.query<
      Array<{ blockers: BlockerRow[]; edges: EdgeRow[]; links: LinkRow[]; open_on_needs: OpenLinkRow[] }>
    >(
      `WITH links AS (
         SELECT bn.blocker_id, bn.need_id, n.annual_cases, n.requester_id, n.supplier_id
           FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id WHERE bn.blocker_id = ANY($1::uuid[]))
       SELECT
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT ${BLOCKER_COLUMNS} FROM blocker WHERE id = ANY($1::uuid[])) x) AS blockers,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT blocker_id AS "blockerId", depends_on_id AS "dependsOnId" FROM blocker_dependency
             WHERE blocker_id = ANY($1::uuid[])) x) AS edges,
         (SELECT coalesce(json_agg(l), '[]') FROM links l) AS links,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT bn.need_id, bn.blocker_id FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
             WHERE bn.need_id IN (SELECT need_id FROM links) AND b.status IN ${OPEN_STATUS_SQL}) x) AS open_on_needs`,
      [ids],
    );
    const { blockers, edges, links, open_on_needs: openOnNeeds } = inputs;
    const graph = graphOf(blockers, edges);
    const openByNeed = groupBy(
      openOnNeeds,
      (r) => r.need_id,
      (r) => r.blocker_id,
    );
    const linksByBlocker = groupBy(links, (l) => l.blocker_id, needLink);
    const counts = new Map(
      blockers.map((b) => [
        b.id,
        priorityCounts(
          graph,
          b.id,
          (id) => linksByBlocker.get(id) ?? [],
          (n) => openByNeed.get(n) ?? [],
        ),
      ]),
    );
    return this.store(blockers, counts, alongside);
  }

  /**
   * The scores after a report of blocker `reportedId` on needs `reportedNeeds`, in place of
   * `rewrite([reportedId, ...neighbourhood])`: `neighbourhood` is what `neighbourhoodLock` locked in the
   * statement that inserted the blocker. The new blocker is counted in full (its own few links); every
   * other blocker's stored counts are brought forward (`countsAfterReport`: a report only takes needs
   * they would unblock away), which reads the reported needs' blockers and the neighbourhood's
   * dependencies instead of every link of every neighbour. A neighbour without stored counts (stored
   * before they were) is counted in full, with everything else, by `rewrite`.
   */
  async rewriteAfterReport(
    reportedId: string,
    reportedNeeds: readonly string[],
    neighbourhood: readonly string[],
    alongside?: AlongsideStatement,
  ): Promise<Map<string, { score: number; factors: StoredFactor[] }>> {
    const ids = [reportedId, ...neighbourhood.filter((id) => id !== reportedId)];
    // One statement after the locks, as in `rewrite`.
    const [inputs] = await this.tx.prepared<{
      blockers: BlockerRow[];
      edges: EdgeRow[];
      links: LinkRow[];
      on_needs: OpenLinkRow[];
    }>(
      `SELECT
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT ${BLOCKER_COLUMNS} FROM blocker WHERE id = ANY($1::uuid[])) x) AS blockers,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT blocker_id AS "blockerId", depends_on_id AS "dependsOnId" FROM blocker_dependency
             WHERE blocker_id = ANY($1::uuid[])) x) AS edges,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT bn.blocker_id, bn.need_id, n.annual_cases, n.requester_id, n.supplier_id
              FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id
             WHERE bn.blocker_id = $2::uuid) x) AS links,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT bn.need_id, bn.blocker_id FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
             WHERE bn.need_id = ANY($3::uuid[]) AND b.status IN ${OPEN_STATUS_SQL}) x) AS on_needs`,
      [ids, reportedId, reportedNeeds],
    );
    const { blockers, edges, links, on_needs: openOnNeeds } = inputs;
    const stored = new Map(blockers.map((b) => [b.id, storedCounts(b.priority_inputs)]));
    if (blockers.some((b) => b.id !== reportedId && stored.get(b.id) === null))
      return this.rewrite(ids, alongside);

    // The registry as it was before the report: the new blocker has no dependencies, and open(n)
    // without it.
    const graph = graphOf(blockers, edges);
    const openBefore = groupBy(
      openOnNeeds.filter((r) => r.blocker_id !== reportedId),
      (r) => r.need_id,
      (r) => r.blocker_id,
    );
    const openAfter = groupBy(
      openOnNeeds,
      (r) => r.need_id,
      (r) => r.blocker_id,
    );
    const ownLinks = links.map(needLink);
    const counts = new Map<string, PriorityCounts>();
    for (const b of blockers) {
      counts.set(
        b.id,
        b.id === reportedId
          ? priorityCounts(
              graph,
              b.id,
              (id) => (id === reportedId ? ownLinks : []),
              (n) => openAfter.get(n) ?? [],
            )
          : countsAfterReport(graph, b.id, stored.get(b.id)!, reportedNeeds, (n) => openBefore.get(n) ?? []),
      );
    }
    return this.store(blockers, counts, alongside);
  }

  /**
   * Compute the scores of `blockers` from their rows and counts, and write those that changed; the
   * same statement writes `alongside` (an audit event).
   */
  private async store(
    blockers: readonly BlockerRow[],
    counts: ReadonlyMap<string, PriorityCounts>,
    alongside?: AlongsideStatement,
  ): Promise<Map<string, { score: number; factors: StoredFactor[] }>> {
    const scores = new Map<string, { score: number; factors: StoredFactor[] }>();
    const today = new Date();
    const updates: Array<{ id: string; score: number; factors: unknown; inputs: PriorityCounts }> = [];
    for (const b of blockers) {
      const c = counts.get(b.id)!;
      const result = computePriority(
        {
          severity: b.severity,
          peopleAffectedPerYear: b.people_affected_per_year,
          affectedNeedsAnnualCases: c.affectedNeedsAnnualCases,
          manualHoursPerYear: b.manual_hours_per_year,
          affectedProviders: c.affectedProviders,
          endorsements: b.endorsement_count,
          needsUnblocked: c.needsUnblocked,
          openDependents: c.openDependents,
          targetDate: b.target_date,
          effort: b.effort,
        },
        this.config.priorityWeights,
        today,
      );
      updates.push({ id: b.id, score: result.score, factors: result.factors, inputs: c });
      scores.set(b.id, { score: result.score, factors: result.factors });
    }
    // The counts are written with the score, also when only they changed (a factor at its cap).
    const extra = alongside?.(2);
    await this.tx.prepared(
      `${extra ? `WITH alongside AS (${extra.sql}) ` : ''}
       UPDATE blocker b SET priority_score = u.score, priority_factors = u.factors, priority_inputs = u.inputs
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, score float8, factors jsonb, inputs jsonb)
       WHERE b.id = u.id AND (b.priority_score <> u.score OR b.priority_factors <> u.factors
                              OR b.priority_inputs IS DISTINCT FROM u.inputs)`,
      [JSON.stringify(updates), ...(extra?.params ?? [])],
    );
    return scores;
  }
}

/** A blocker's row as the score reads it. */
const BLOCKER_COLUMNS = `id, status, severity, people_affected_per_year, manual_hours_per_year, effort,
  to_char(target_date, 'YYYY-MM-DD') AS target_date, endorsement_count, priority_inputs`;

function graphOf(blockers: readonly BlockerRow[], edges: readonly EdgeRow[]): DependencyGraph {
  const statusOf = new Map(blockers.map((b) => [b.id, b.status]));
  return buildGraph(edges, (id) => {
    const status = statusOf.get(id);
    return status !== undefined && isOpen(status);
  });
}

const needLink = (l: LinkRow): NeedLink => ({
  needId: l.need_id,
  annualCases: l.annual_cases,
  requesterId: l.requester_id,
  supplierId: l.supplier_id,
});

function groupBy<T, V>(rows: readonly T[], key: (row: T) => string, value: (row: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const row of rows) (out.get(key(row)) ?? out.set(key(row), []).get(key(row))!).push(value(row));
  return out;
}
