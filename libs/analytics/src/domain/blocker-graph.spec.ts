import fc from 'fast-check';
import {
  buildBlockerGraph,
  GraphData,
  GraphEdgeKind,
  GraphInput,
  GraphNodeKind,
  neighbourhood,
  neighbourhoodOf,
  sourceOf,
} from './blocker-graph';

/**
 *   A --n1--> B --n2--> C        A, B, C, D providers; B holds dataset dB; D holds dE
 *   b1 affects n1 (open), b2 affects n2 (open) and waits for b1, b3 affects n2 (closed)
 *   D and its dataset dE form their own component; Z is a provider without connections.
 */
const input: GraphInput = {
  providers: [
    { id: 'A', label: 'A', weight: 1 },
    { id: 'B', label: 'B', weight: 2 },
    { id: 'C', label: 'C', weight: 1 },
    { id: 'D', label: 'D', weight: 0 },
    { id: 'Z', label: 'Z', weight: 0 },
  ],
  datasets: [
    { id: 'dB', holderId: 'B', label: 'DB', weight: 0 },
    { id: 'dE', holderId: 'D', label: 'DE', weight: 0 },
  ],
  needs: [
    { id: 'n1', requesterId: 'A', supplierId: 'B', blocked: true },
    { id: 'n2', requesterId: 'B', supplierId: 'C', blocked: true },
  ],
  blockers: [
    { id: 'b1', label: 'KNP-1', weight: 50, open: true },
    { id: 'b2', label: 'KNP-2', weight: 40, open: true },
    { id: 'b3', label: 'KNP-3', weight: 0, open: false },
  ],
  links: [
    { blockerId: 'b1', needId: 'n1' },
    { blockerId: 'b2', needId: 'n2' },
    { blockerId: 'b3', needId: 'n2' },
    { blockerId: 'hidden', needId: 'n1' },
  ],
  dependencies: [
    { blockerId: 'b2', dependsOnId: 'b1' },
    { blockerId: 'b3', dependsOnId: 'b1' },
    { blockerId: 'b2', dependsOnId: 'hidden' },
  ],
};

const ids = (g: { nodes: Array<{ id: string }> }): string[] => g.nodes.map((n) => n.id).sort();
const edgeKeys = (g: {
  edges: Array<{ source: string; target: string; kind: string; needId: string | null }>;
}) => g.edges.map((e) => `${e.kind} ${e.source}->${e.target}${e.needId ? ` ${e.needId}` : ''}`).sort();

describe('blocker graph', () => {
  let graph: GraphData;
  beforeAll(() => {
    graph = buildBlockerGraph(input);
  });

  it('has one NEEDS edge per need, HOLDS per dataset, BLOCKS to requester and supplier, DEPENDS_ON', () => {
    expect(edgeKeys(graph)).toEqual(
      [
        'NEEDS A->B n1',
        'NEEDS B->C n2',
        'HOLDS B->dB',
        'HOLDS D->dE',
        'BLOCKS b1->A n1',
        'BLOCKS b1->B n1',
        'BLOCKS b2->B n2',
        'BLOCKS b2->C n2',
        'BLOCKS b3->B n2',
        'BLOCKS b3->C n2',
        'DEPENDS_ON b2->b1',
        'DEPENDS_ON b3->b1',
      ].sort(),
    );
  });

  it('leaves out links and dependencies of blockers it was not given (confidential, filtered)', () => {
    expect(graph.edges.some((e) => e.source === 'hidden' || e.target === 'hidden')).toBe(false);
    expect(graph.nodes.has('hidden')).toBe(false);
  });

  it('marks what blocks: needs by their state, BLOCKS by an open blocker, DEPENDS_ON when both are open', () => {
    const edge = (kind: GraphEdgeKind, source: string, target: string) =>
      graph.edges.find((e) => e.kind === kind && e.source === source && e.target === target)!;
    expect(edge(GraphEdgeKind.NEEDS, 'A', 'B').blocked).toBe(true);
    expect(edge(GraphEdgeKind.BLOCKS, 'b1', 'A').blocked).toBe(true);
    expect(edge(GraphEdgeKind.BLOCKS, 'b3', 'C').blocked).toBe(false);
    expect(edge(GraphEdgeKind.DEPENDS_ON, 'b2', 'b1').blocked).toBe(true);
    expect(edge(GraphEdgeKind.DEPENDS_ON, 'b3', 'b1').blocked).toBe(false);
    expect(edge(GraphEdgeKind.HOLDS, 'B', 'dB').blocked).toBe(false);
  });

  it('keeps kinds, labels and weights of nodes', () => {
    expect(graph.nodes.get('b1')).toEqual({
      id: 'b1',
      kind: GraphNodeKind.BLOCKER,
      label: 'KNP-1',
      weight: 50,
    });
    expect(graph.nodes.get('dB')).toEqual({ id: 'dB', kind: GraphNodeKind.DATASET, label: 'DB', weight: 0 });
    expect(graph.nodes.get('B')).toEqual({ id: 'B', kind: GraphNodeKind.PROVIDER, label: 'B', weight: 2 });
  });

  describe('neighbourhood', () => {
    it('depth 1 around a provider: the provider, its neighbours and the edges among them', () => {
      const answer = neighbourhood(graph, { focusId: 'A', depth: 1, limit: 100, edgeLimit: 1000 });
      expect(ids(answer)).toEqual(['A', 'B', 'b1']);
      expect(edgeKeys(answer)).toEqual(['BLOCKS b1->A n1', 'BLOCKS b1->B n1', 'NEEDS A->B n1']);
      expect(answer).toMatchObject({ totalNodes: 3, truncated: false });
      expect(answer.nodes[0].id).toBe('A');
    });

    it('depth 2 follows edges in both directions', () => {
      const answer = neighbourhood(graph, { focusId: 'A', depth: 2, limit: 100, edgeLimit: 1000 });
      expect(ids(answer)).toEqual(['A', 'B', 'C', 'b1', 'b2', 'b3', 'dB']);
    });

    it('depth 0 is the focus alone when it has connections', () => {
      const answer = neighbourhood(graph, { focusId: 'b1', depth: 0, limit: 100, edgeLimit: 1000 });
      expect(answer).toEqual({
        nodes: [graph.nodes.get('b1')],
        edges: [],
        totalNodes: 1,
        totalEdges: 0,
        truncated: false,
      });
    });

    it('around a dataset and around a blocker', () => {
      expect(ids(neighbourhood(graph, { focusId: 'dE', depth: 4, limit: 100, edgeLimit: 1000 }))).toEqual([
        'D',
        'dE',
      ]);
      expect(ids(neighbourhood(graph, { focusId: 'b2', depth: 1, limit: 100, edgeLimit: 1000 }))).toEqual([
        'B',
        'C',
        'b1',
        'b2',
      ]);
    });

    it('a node without connections, or one not in the graph, gives an empty answer', () => {
      const empty = { nodes: [], edges: [], totalNodes: 0, totalEdges: 0, truncated: false };
      expect(neighbourhood(graph, { focusId: 'Z', depth: 4, limit: 100, edgeLimit: 1000 })).toEqual(empty);
      expect(neighbourhood(graph, { focusId: 'hidden', depth: 4, limit: 100, edgeLimit: 1000 })).toEqual(
        empty,
      );
    });

    it('the whole graph is every connected node', () => {
      const answer = neighbourhood(graph, { focusId: null, depth: 0, limit: 100, edgeLimit: 1000 });
      expect(ids(answer)).toEqual(['A', 'B', 'C', 'D', 'b1', 'b2', 'b3', 'dB', 'dE']);
      expect(answer.edges).toHaveLength(graph.edges.length);
    });

    it('cuts at the limit: nearest first, then most connected, then by id; says it was cut', () => {
      const answer = neighbourhood(graph, { focusId: 'A', depth: 4, limit: 3, edgeLimit: 1000 });
      // distance 1 from A: B (degree 6) and b1 (degree 4); so A, B, b1.
      expect(answer.nodes.map((n) => n.id)).toEqual(['A', 'B', 'b1']);
      expect(answer).toMatchObject({ totalNodes: 7, truncated: true });
      expect(edgeKeys(answer)).toEqual(['BLOCKS b1->A n1', 'BLOCKS b1->B n1', 'NEEDS A->B n1']);

      const whole = neighbourhood(graph, { focusId: null, depth: 0, limit: 2, edgeLimit: 1000 });
      expect(whole.nodes.map((n) => n.id)).toEqual(['B', 'b1']);
      expect(whole).toMatchObject({
        totalNodes: 9,
        truncated: true,
        edges: [expect.objectContaining({ kind: 'BLOCKS' })],
      });
    });

    it('cuts edges at edgeLimit: those among the first nodes first; says it was cut', () => {
      const all = neighbourhood(graph, { focusId: 'A', depth: 2, limit: 100, edgeLimit: 1000 });
      const cut = neighbourhood(graph, { focusId: 'A', depth: 2, limit: 100, edgeLimit: 3 });
      expect(cut.nodes).toEqual(all.nodes);
      // A, B and b1 come first (distance 0 and 1); the three edges among them are kept.
      expect(edgeKeys(cut)).toEqual(['BLOCKS b1->A n1', 'BLOCKS b1->B n1', 'NEEDS A->B n1']);
      expect(cut).toMatchObject({ totalEdges: all.edges.length, truncated: true });
      expect(all).toMatchObject({ totalEdges: all.edges.length, truncated: false });
    });

    it('neighbourhoodOf a GraphSource answers exactly as neighbourhood', () => {
      const source = sourceOf(graph);
      for (const focusId of [null, 'A', 'B', 'b1', 'b2', 'dE', 'Z']) {
        for (const depth of [0, 1, 2, 4]) {
          for (const limit of [1, 2, 3, 5, 100]) {
            for (const edgeLimit of [1, 2, 4, 1000]) {
              const query = { focusId, depth, limit, edgeLimit };
              expect(neighbourhoodOf(source, query)).toEqual(neighbourhood(graph, query));
            }
          }
        }
      }
    });

    it('gives the same answer every time', () => {
      const a = neighbourhood(graph, { focusId: null, depth: 0, limit: 5, edgeLimit: 1000 });
      const b = neighbourhood(buildBlockerGraph({ ...input, needs: [...input.needs].reverse() }), {
        focusId: null,
        depth: 0,
        limit: 5,
        edgeLimit: 1000,
      });
      expect(b).toEqual(a);
    });
  });

  it('neighbourhoodOf answers as neighbourhood on random graphs with many equal degrees', () => {
    // Up to 60 providers, 120 needs, 60 blockers: rings far larger than the limits, degrees that tie.
    const graphs = fc
      .tuple(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
      )
      .map(([providers, needs, blockers, links, dependencies]): GraphInput => {
        const p = (i: number): string => `P${i % providers}`;
        const ns = needs.map(([r, s, blocked], i) => ({
          id: `n${i}`,
          requesterId: p(r),
          supplierId: p(s),
          blocked,
        }));
        const bs = blockers.map(([w, open], i) => ({ id: `b${i}`, label: `KNP-${i}`, weight: w % 7, open }));
        const pick = <T>(list: T[], i: number): T | undefined =>
          list.length ? list[i % list.length] : undefined;
        return {
          providers: Array.from({ length: providers }, (_, i) => ({ id: p(i), label: p(i), weight: i % 3 })),
          datasets: Array.from({ length: Math.floor(providers / 3) }, (_, i) => ({
            id: `d${i}`,
            holderId: p(i * 7),
            label: `D${i}`,
            weight: 0,
          })),
          needs: ns,
          blockers: bs,
          links: ns
            .flatMap((n, i) => {
              const b = pick(bs, i * 3);
              return b && i % 2 === 0 ? [{ blockerId: b.id, needId: n.id }] : [];
            })
            .concat(
              links.flatMap(([b, n]) => {
                const blocker = pick(bs, b);
                const need = pick(ns, n);
                return blocker && need ? [{ blockerId: blocker.id, needId: need.id }] : [];
              }),
            ),
          dependencies: dependencies.flatMap(([a, b]) => {
            const x = pick(bs, a);
            const y = pick(bs, b);
            return x && y && x !== y ? [{ blockerId: x.id, dependsOnId: y.id }] : [];
          }),
        };
      });
    fc.assert(
      fc.property(
        graphs,
        fc.nat(),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 80 }),
        (graphInput, focus, depth, limit, edgeLimit) => {
          const built = buildBlockerGraph(graphInput);
          const ids = [...built.nodes.keys()];
          const focusId = focus % 7 === 0 ? null : ids[focus % ids.length];
          const query = { focusId, depth, limit, edgeLimit };
          const source = sourceOf(built);
          expect(neighbourhoodOf(source, query)).toEqual(neighbourhood(built, query));
          // The walk's scratch arrays are reused: a second walk answers the same.
          expect(neighbourhoodOf(source, query)).toEqual(neighbourhood(built, query));
        },
      ),
      { numRuns: 400 },
    );
  });
});
