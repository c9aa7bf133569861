import { cycleThrough, DependencyEdge, repointDependencies } from './graph';

const edge = (blockerId: string, dependsOnId: string): DependencyEdge => ({ blockerId, dependsOnId });
const lists = (edges: DependencyEdge[]): Map<string, string[]> => {
  const map = new Map<string, string[]>();
  for (const e of edges) map.set(e.blockerId, [...(map.get(e.blockerId) ?? []), e.dependsOnId]);
  return map;
};
/** The graph after applying a repointing: the kept edges, the untouched ones and the new ones. */
const after = (edges: DependencyEdge[], dup: string, orig: string): string[] => {
  const { moved } = repointDependencies(edges, dup, orig);
  const gone = new Set(moved.map((m) => `${m.from.blockerId}>${m.from.dependsOnId}`));
  const result = new Set(edges.map((e) => `${e.blockerId}>${e.dependsOnId}`).filter((key) => !gone.has(key)));
  for (const m of moved)
    if (m.to.blockerId !== m.to.dependsOnId) result.add(`${m.to.blockerId}>${m.to.dependsOnId}`);
  return [...result].sort();
};

describe('cycleThrough', () => {
  it('finds the path a new edge would close', () => {
    expect(cycleThrough(lists([edge('b', 'c'), edge('c', 'a')]), 'a', 'b')).toEqual(['a', 'b', 'c', 'a']);
  });
  it('is null when the new edge closes nothing', () => {
    expect(cycleThrough(lists([edge('b', 'c')]), 'a', 'b')).toBeNull();
  });
  it('calls a self-loop a cycle', () => {
    expect(cycleThrough(new Map(), 'a', 'a')).toEqual(['a', 'a']);
  });
});

describe('repointDependencies', () => {
  it('moves dependents and prerequisites of the duplicate to the original', () => {
    // x waits on d, d waits on p; d is merged into o.
    expect(after([edge('x', 'd'), edge('d', 'p')], 'd', 'o')).toEqual(['o>p', 'x>o']);
    const { moved, kept } = repointDependencies([edge('x', 'd'), edge('d', 'p')], 'd', 'o');
    expect(kept).toEqual([]);
    expect(moved).toHaveLength(2);
  });

  it('drops an edge between the duplicate and the original', () => {
    expect(after([edge('o', 'd'), edge('d', 'p')], 'd', 'o')).toEqual(['o>p']);
    expect(after([edge('d', 'o')], 'd', 'o')).toEqual([]);
  });

  it('merges an edge the original already has', () => {
    expect(after([edge('x', 'd'), edge('x', 'o')], 'd', 'o')).toEqual(['x>o']);
  });

  it('keeps on the duplicate an edge that would close a cycle through the original', () => {
    // o waits on x; x waits on d. Moving x>d to x>o would make o>x>o.
    const edges = [edge('o', 'x'), edge('x', 'd')];
    const { moved, kept } = repointDependencies(edges, 'd', 'o');
    expect(moved).toEqual([]);
    expect(kept).toEqual([edge('x', 'd')]);
    expect(after(edges, 'd', 'o')).toEqual(['o>x', 'x>d']);
  });

  it('never leaves a cycle, whatever the graph (every small graph on five blockers)', () => {
    const ids = ['d', 'o', 'a', 'b', 'c'];
    const pairs: DependencyEdge[] = [];
    for (const from of ids) for (const to of ids) if (from !== to) pairs.push(edge(from, to));
    // A deterministic sample of acyclic graphs: add pairs in a pseudo-random order unless they close a cycle.
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 300; round++) {
      const edges: DependencyEdge[] = [];
      for (const p of [...pairs].sort(() => random() - 0.5)) {
        if (random() < 0.4 && !cycleThrough(lists(edges), p.blockerId, p.dependsOnId)) edges.push(p);
      }
      const result = after(edges, 'd', 'o').map((key) => {
        const [from, to] = key.split('>');
        return edge(from, to);
      });
      for (const e of result) {
        const others = result.filter((x) => x !== e);
        expect(cycleThrough(lists(others), e.blockerId, e.dependsOnId)).toBeNull();
      }
      // Nothing still waits on the duplicate unless moving it would have closed a cycle.
      const { kept } = repointDependencies(edges, 'd', 'o');
      const left = result.filter((e) => e.blockerId === 'd' || e.dependsOnId === 'd');
      expect(left).toEqual(expect.arrayContaining(kept));
      expect(left).toHaveLength(kept.length);
    }
  });
});
