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
