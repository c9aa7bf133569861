/**
 * Pure algorithms over the dependency graph of blockers. An edge `blocker -> dependsOn` means the
 * blocker waits for dependsOn. Only open blockers take part in waiting: a closed prerequisite no longer
 * holds anything up, so walks stop at closed blockers.
 */
export interface DependencyGraph {
  /** blocker -> the blockers it depends on */
  prerequisites: Map<string, string[]>;
  /** blocker -> the blockers that depend on it */
  dependents: Map<string, string[]>;
  isOpen: (id: string) => boolean;
}

export function buildGraph(
  edges: Iterable<{ blockerId: string; dependsOnId: string }>,
  isOpen: (id: string) => boolean,
): DependencyGraph {
  const prerequisites = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const { blockerId, dependsOnId } of edges) {
    (prerequisites.get(blockerId) ?? prerequisites.set(blockerId, []).get(blockerId)!).push(dependsOnId);
    (dependents.get(dependsOnId) ?? dependents.set(dependsOnId, []).get(dependsOnId)!).push(blockerId);
  }
  return { prerequisites, dependents, isOpen };
}

function walk(start: string, next: Map<string, string[]>, isOpen: (id: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || id === start || !isOpen(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}

/** pre*(b): the open blockers b waits on, transitively (through open blockers only). */
export const openPrerequisites = (graph: DependencyGraph, id: string): Set<string> =>
  walk(id, graph.prerequisites, graph.isOpen);

/** The open blockers that wait on b, transitively (through open blockers only). */
export const openDependents = (graph: DependencyGraph, id: string): Set<string> =>
  walk(id, graph.dependents, graph.isOpen);

/**
 * Would adding `blockerId -> dependsOnId` close a cycle? Returns the cycle's path (starting and
 * ending at blockerId) when it would, else null. All edges count here, open or closed: a reopened
 * blocker must never find itself in a cycle.
 */
export function cycleThrough(
  prerequisites: Map<string, string[]>,
  blockerId: string,
  dependsOnId: string,
): string[] | null {
  if (blockerId === dependsOnId) return [blockerId, blockerId];
  // The new edge closes a cycle exactly when dependsOn already reaches blocker.
  const cameFrom = new Map<string, string | null>([[dependsOnId, null]]);
  const queue = [dependsOnId];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    if (id === blockerId) {
      const path: string[] = [];
      for (let at: string | null = id; at !== null; at = cameFrom.get(at) ?? null) path.push(at);
      return [blockerId, ...path.reverse()];
    }
    for (const next of prerequisites.get(id) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}

/**
 * The needs that would have no open blocker left if every blocker in `resolved` were resolved:
 * blocked needs n with open(n) within `resolved`. `openBlockersOfNeed` gives open(n).
 */
export function needsFreedBy(
  resolved: Set<string>,
  candidateNeeds: Iterable<string>,
  openBlockersOfNeed: (needId: string) => readonly string[],
): string[] {
  const freed: string[] = [];
  for (const needId of candidateNeeds) {
    const open = openBlockersOfNeed(needId);
    if (open.length > 0 && open.every((b) => resolved.has(b))) freed.push(needId);
  }
  return freed;
}

export interface DependencyEdge {
  blockerId: string;
  dependsOnId: string;
}

export interface RepointedDependencies {
  /** The duplicate's edges that move, each with the edge that replaces it on the original. */
  moved: Array<{ from: DependencyEdge; to: DependencyEdge }>;
  /** Edges that stay on the duplicate, because on the original they would close a cycle. */
  kept: DependencyEdge[];
}

/**
 * A merge moves the duplicate's place in the dependency graph to the original: a blocker that waited
 * on the duplicate now waits on the original, and what the duplicate waited on the original now waits
 * on. An edge between the two themselves disappears (it would be a self-loop); an edge the original
 * has already merges into it; an edge that would close a cycle stays on the (closed) duplicate, where
 * it holds nothing up. Edges are moved one by one, each checked against the graph as it is by then.
 */
export function repointDependencies(
  edges: readonly DependencyEdge[],
  duplicateId: string,
  originalId: string,
): RepointedDependencies {
  const prerequisites = new Map<string, Set<string>>();
  const add = (e: DependencyEdge): void => {
    (prerequisites.get(e.blockerId) ?? prerequisites.set(e.blockerId, new Set()).get(e.blockerId)!).add(
      e.dependsOnId,
    );
  };
  const remove = (e: DependencyEdge): void => void prerequisites.get(e.blockerId)?.delete(e.dependsOnId);
  for (const e of edges) add(e);
  const asLists = (): Map<string, string[]> =>
    new Map([...prerequisites].map(([id, next]) => [id, [...next]]));

  const moved: RepointedDependencies['moved'] = [];
  const kept: DependencyEdge[] = [];
  const sorted = [...edges].sort((a, b) =>
    a.blockerId === b.blockerId
      ? a.dependsOnId.localeCompare(b.dependsOnId)
      : a.blockerId.localeCompare(b.blockerId),
  );
  for (const from of sorted) {
    const touchesDuplicate = from.blockerId === duplicateId || from.dependsOnId === duplicateId;
    if (!touchesDuplicate) continue;
    const to: DependencyEdge = {
      blockerId: from.blockerId === duplicateId ? originalId : from.blockerId,
      dependsOnId: from.dependsOnId === duplicateId ? originalId : from.dependsOnId,
    };
    remove(from);
    if (to.blockerId === to.dependsOnId) {
      // Between the duplicate and the original: nothing is left to wait for.
      moved.push({ from, to });
      continue;
    }
    if (cycleThrough(asLists(), to.blockerId, to.dependsOnId)) {
      add(from);
      kept.push(from);
      continue;
    }
    add(to);
    moved.push({ from, to });
  }
  return { moved, kept };
}
