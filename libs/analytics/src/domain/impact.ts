/**
 * What resolving blockers would unblock: the definitions of the brief ("Graph questions analysts ask"),
 * as pure functions over plain data. Input is the open part of the registry; output is ids.
 *
 *   open(n)   the open blockers affecting need n; n is blocked exactly when open(n) is not empty
 *   pre*(b)   the open blockers an open b waits on, transitively through open blockers
 *   freed(R)  the blocked needs n with open(n) within R
 *
 * The functions know nothing of confidentiality: they are given every open blocker, so that the
 * answers are true; the caller leaves out of its answer the blockers the viewer may not see.
 */
import { buildGraph, DependencyGraph, openDependents, openPrerequisites } from '@app/blockers/domain/graph';

export interface ImpactInput {
  /** Open blockers. Any other id (closed, unknown) counts as not open. */
  openBlockers: Iterable<string>;
  /** blocker affects need; links of closed blockers may be given and are ignored. */
  links: Iterable<{ blockerId: string; needId: string }>;
  /** blocker waits for dependsOn; edges touching closed blockers may be given and are ignored. */
  dependencies: Iterable<{ blockerId: string; dependsOnId: string }>;
  /** At least the needs that open blockers affect. */
  needs: Iterable<{ id: string; requesterId: string; annualCases: number | null }>;
}

export interface ImpactGraph {
  readonly open: ReadonlySet<string>;
  readonly dependencies: DependencyGraph;
  /** open(n) for every blocked need, in the order the links were given. */
  readonly openBlockersOfNeed: ReadonlyMap<string, readonly string[]>;
  /** The needs each open blocker affects. */
  readonly needsOfBlocker: ReadonlyMap<string, readonly string[]>;
  readonly annualCases: ReadonlyMap<string, number>;
  readonly requesterOf: ReadonlyMap<string, string>;
  /** requester -> how many of its needs are blocked. */
  readonly blockedNeedsOfRequester: ReadonlyMap<string, number>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildImpactGraph(input: ImpactInput): ImpactGraph {
  const open = new Set(input.openBlockers);
  const openBlockersOfNeed = new Map<string, string[]>();
  const needsOfBlocker = new Map<string, string[]>();
  const seenLinks = new Set<string>();
  for (const { blockerId, needId } of input.links) {
    const key = `${blockerId} ${needId}`;
    if (!open.has(blockerId) || seenLinks.has(key)) continue;
    seenLinks.add(key);
    push(openBlockersOfNeed, needId, blockerId);
    push(needsOfBlocker, blockerId, needId);
  }
  const annualCases = new Map<string, number>();
  const requesterOf = new Map<string, string>();
  for (const need of input.needs) {
    annualCases.set(need.id, need.annualCases ?? 0);
    requesterOf.set(need.id, need.requesterId);
  }
  const blockedNeedsOfRequester = new Map<string, number>();
  for (const needId of openBlockersOfNeed.keys()) {
    const requester = requesterOf.get(needId);
    if (requester === undefined)
      throw new Error(`need ${needId} is affected by an open blocker but not given`);
    blockedNeedsOfRequester.set(requester, (blockedNeedsOfRequester.get(requester) ?? 0) + 1);
  }
  const openEdges = [...input.dependencies].filter((d) => open.has(d.blockerId) && open.has(d.dependsOnId));
  return {
    open,
    dependencies: buildGraph(openEdges, (id) => open.has(id)),
    openBlockersOfNeed,
    needsOfBlocker,
    annualCases,
    requesterOf,
    blockedNeedsOfRequester,
  };
}

/** pre*(b): empty for a blocker that is not open (it waits for nothing). */
export function prerequisitesOf(graph: ImpactGraph, blockerId: string): Set<string> {
  return graph.open.has(blockerId) ? openPrerequisites(graph.dependencies, blockerId) : new Set();
}

/** The open blockers waiting on b, transitively; empty for a blocker that is not open. */
export function dependentsOf(graph: ImpactGraph, blockerId: string): Set<string> {
  return graph.open.has(blockerId) ? openDependents(graph.dependencies, blockerId) : new Set();
}

/** freed(R): the blocked needs with every open blocker in `resolved`, in a stable order. */
export function needsFreedBy(graph: ImpactGraph, resolved: ReadonlySet<string>): string[] {
  const candidates = new Set<string>();
  for (const blockerId of resolved) {
    for (const needId of graph.needsOfBlocker.get(blockerId) ?? []) candidates.add(needId);
  }
  const freed: string[] = [];
  for (const needId of candidates) {
    if ((graph.openBlockersOfNeed.get(needId) ?? []).every((b) => resolved.has(b))) freed.push(needId);
  }
  return freed;
}

export const peopleOf = (graph: ImpactGraph, needIds: Iterable<string>): number => {
  let sum = 0;
  for (const id of needIds) sum += graph.annualCases.get(id) ?? 0;
  return sum;
};

/** Requesters with at least one blocked need, all of which are among `freed`. */
export function requestersFullyFreed(graph: ImpactGraph, freed: Iterable<string>): string[] {
  const freedPerRequester = new Map<string, number>();
  for (const needId of freed) {
    const requester = graph.requesterOf.get(needId)!;
    freedPerRequester.set(requester, (freedPerRequester.get(requester) ?? 0) + 1);
  }
  return [...freedPerRequester]
    .filter(([requester, count]) => count === graph.blockedNeedsOfRequester.get(requester))
    .map(([requester]) => requester);
}

/** The set blockerImpact and criticalBlockers resolve for b: b and pre*(b) (nothing for a closed b). */
export function resolutionSetOf(graph: ImpactGraph, blockerId: string): Set<string> {
  if (!graph.open.has(blockerId)) return new Set();
  return new Set([blockerId, ...prerequisitesOf(graph, blockerId)]);
}

export interface BlockerImpactIds {
  prerequisites: string[];
  dependents: string[];
  /** Blocked needs with open(n) within {b} + pre*(b). */
  unblockedIfResolved: string[];
}

export function blockerImpact(graph: ImpactGraph, blockerId: string): BlockerImpactIds {
  return {
    prerequisites: [...prerequisitesOf(graph, blockerId)],
    dependents: [...dependentsOf(graph, blockerId)],
    unblockedIfResolved: needsFreedBy(graph, resolutionSetOf(graph, blockerId)),
  };
}

export enum ImpactMeasure {
  NEEDS_UNBLOCKED = 'NEEDS_UNBLOCKED',
  PEOPLE_REACHED = 'PEOPLE_REACHED',
  PROVIDERS_UNBLOCKED = 'PROVIDERS_UNBLOCKED',
}

export interface BlockerScoreIds {
  blockerId: string;
  needsUnblocked: number;
  peopleReached: number;
  providersUnblocked: number;
}

/** What resolving b with its open prerequisites would unblock, measured three ways. */
export function scoreBlocker(graph: ImpactGraph, blockerId: string): BlockerScoreIds {
  const freed = needsFreedBy(graph, resolutionSetOf(graph, blockerId));
  return {
    blockerId,
    needsUnblocked: freed.length,
    peopleReached: peopleOf(graph, freed),
    providersUnblocked: requestersFullyFreed(graph, freed).length,
  };
}

export const IMPACT_MEASURE: Record<ImpactMeasure, (s: BlockerScoreIds) => number> = {
  NEEDS_UNBLOCKED: (s) => s.needsUnblocked,
  PEOPLE_REACHED: (s) => s.peopleReached,
  PROVIDERS_UNBLOCKED: (s) => s.providersUnblocked,
};

/**
 * The open candidates ranked by the measure, highest first; ties go to the lower `tieKey` (the key
 * number), so the order is total. Candidates that are not open are left out.
 */
export function criticalBlockers(
  graph: ImpactGraph,
  candidates: Iterable<string>,
  by: ImpactMeasure,
  first: number,
  tieKey: (blockerId: string) => number,
): BlockerScoreIds[] {
  const measure = IMPACT_MEASURE[by];
  return [...new Set(candidates)]
    .filter((id) => graph.open.has(id))
    .map((id) => scoreBlocker(graph, id))
    .sort((a, b) => measure(b) - measure(a) || tieKey(a.blockerId) - tieKey(b.blockerId))
    .slice(0, Math.max(0, first));
}

export interface WhatIfIds {
  needsUnblocked: string[];
  needsStillBlocked: number;
  peopleReached: number;
  providersFullyUnblocked: string[];
  /** Open members of S with an open (direct) prerequisite outside S. */
  blockedByPrerequisites: string[];
}

/**
 * Resolve exactly S. Members of S that are not open change nothing. A member waiting on an open
 * blocker outside S is reported in blockedByPrerequisites but still counts as resolved.
 */
export function whatIf(graph: ImpactGraph, resolve: Iterable<string>): WhatIfIds {
  const set = new Set(resolve);
  const needsUnblocked = needsFreedBy(graph, set);
  const blockedByPrerequisites = [...set].filter(
    (id) =>
      graph.open.has(id) &&
      (graph.dependencies.prerequisites.get(id) ?? []).some((p) => graph.open.has(p) && !set.has(p)),
  );
  return {
    needsUnblocked,
    needsStillBlocked: graph.openBlockersOfNeed.size - needsUnblocked.length,
    peopleReached: peopleOf(graph, needsUnblocked),
    providersFullyUnblocked: requestersFullyFreed(graph, needsUnblocked),
    blockedByPrerequisites,
  };
}
