/**
 * The inputs of a priority score that are counted over the registry rather than read from the blocker's
 * own row (brief, "Priority score"): the annual cases and providers of its needs, the needs it would
 * unblock, the open blockers waiting on it. They are stored beside the score, so that a report of a new
 * blocker can bring its neighbours' scores up to date from them (`countsAfterReport`) instead of counting
 * them again. Pure: no framework, no database.
 */
import { DependencyGraph, needsFreedBy, openDependents, openPrerequisites } from './graph';

export interface PriorityCounts {
  /** sum of annualCases of the affected needs (nulls count 0) */
  affectedNeedsAnnualCases: number;
  /** distinct requesters+suppliers of affected needs */
  affectedProviders: number;
  /** needs that would be unblocked if the blocker (and its open prerequisites) were resolved */
  needsUnblocked: number;
  /** open blockers waiting on it, transitively */
  openDependents: number;
}

export interface NeedLink {
  needId: string;
  annualCases: number | null;
  requesterId: string;
  supplierId: string;
}

/** {b} + pre*(b): what resolving b resolves. */
const resolvedWith = (graph: DependencyGraph, id: string): Set<string> =>
  new Set([id, ...openPrerequisites(graph, id)]);

/**
 * The counts of blocker `id`, in full. `linksOf` gives a blocker's needs (for `id` and its open
 * prerequisites), `openBlockersOfNeed` gives open(n) for those needs.
 */
export function priorityCounts(
  graph: DependencyGraph,
  id: string,
  linksOf: (blockerId: string) => readonly NeedLink[],
  openBlockersOfNeed: (needId: string) => readonly string[],
): PriorityCounts {
  const own = linksOf(id);
  const resolved = resolvedWith(graph, id);
  const candidates = new Set<string>();
  for (const b of resolved) for (const l of linksOf(b)) candidates.add(l.needId);
  return {
    affectedNeedsAnnualCases: own.reduce((sum, l) => sum + (l.annualCases ?? 0), 0),
    affectedProviders: new Set(own.flatMap((l) => [l.requesterId, l.supplierId])).size,
    needsUnblocked: needsFreedBy(resolved, candidates, openBlockersOfNeed).length,
    openDependents: openDependents(graph, id).size,
  };
}

/**
 * The counts of an existing blocker `id` after a report of a new open blocker on `reportedNeeds`, from
 * its counts before. A report only adds that blocker and its links: it has no dependencies and no
 * endorsements, so the blocker's own needs, their cases and providers, and its open dependents stay.
 * Only needs it would unblock can be lost: a reported need that resolving `id` (and its open
 * prerequisites) freed is held up by the new blocker now, which is open and outside that set. No other
 * need changes. `graph` and `openBlockersOfNeed` (open(n) for the reported needs) describe the registry
 * before the report.
 */
export function countsAfterReport(
  graph: DependencyGraph,
  id: string,
  before: PriorityCounts,
  reportedNeeds: Iterable<string>,
  openBlockersOfNeed: (needId: string) => readonly string[],
): PriorityCounts {
  const lost = needsFreedBy(resolvedWith(graph, id), new Set(reportedNeeds), openBlockersOfNeed).length;
  return { ...before, needsUnblocked: before.needsUnblocked - lost };
}

/** Stored counts as read back (a JSON column): complete and numeric, else null (count them in full). */
export function storedCounts(value: unknown): PriorityCounts | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const keys: Array<keyof PriorityCounts> = [
    'affectedNeedsAnnualCases',
    'affectedProviders',
    'needsUnblocked',
    'openDependents',
  ];
  if (!keys.every((k) => typeof v[k] === 'number' && Number.isFinite(v[k]))) return null;
  return {
    affectedNeedsAnnualCases: v.affectedNeedsAnnualCases as number,
    affectedProviders: v.affectedProviders as number,
    needsUnblocked: v.needsUnblocked as number,
    openDependents: v.openDependents as number,
  };
}
