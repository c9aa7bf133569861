/**
 * The blocker graph as nodes and edges, and the neighbourhood of a focus node, as pure functions.
 *
 *   NEEDS       requester -> supplier, one per data need
 *   HOLDS       provider -> dataset it holds
 *   BLOCKS      blocker -> requester and blocker -> supplier of each need it affects
 *   DEPENDS_ON  blocker -> blocker it depends on
 *
 * The caller decides what takes part (which blockers the viewer may see, open only, layers, withdrawn
 * needs) and gives node ids that are unique across kinds (the global IDs). A graph answer is a set of
 * edges and their end points: a node without an edge is never part of it, so a focus without
 * connections gives an empty answer. The neighbourhood of a focus is every node within `depth` hops
 * (edges followed in either direction) and every edge between two such nodes.
 */

export enum GraphNodeKind {
  PROVIDER = 'PROVIDER',
  DATASET = 'DATASET',
  BLOCKER = 'BLOCKER',
}

export enum GraphEdgeKind {
  NEEDS = 'NEEDS',
  HOLDS = 'HOLDS',
  BLOCKS = 'BLOCKS',
  DEPENDS_ON = 'DEPENDS_ON',
}

export interface GraphNodeData {
  id: string;
  kind: GraphNodeKind;
  label: string;
  weight: number;
}

export interface GraphEdgeData {
  source: string;
  target: string;
  kind: GraphEdgeKind;
  needId: string | null;
  blocked: boolean;
}

export interface GraphInput {
  providers: ReadonlyArray<{ id: string; label: string; weight: number }>;
  datasets: ReadonlyArray<{ id: string; holderId: string; label: string; weight: number }>;
  needs: ReadonlyArray<{ id: string; requesterId: string; supplierId: string; blocked: boolean }>;
  blockers: ReadonlyArray<{ id: string; label: string; weight: number; open: boolean }>;
  /** blocker affects need; links to blockers or needs not given are left out. */
  links: ReadonlyArray<{ blockerId: string; needId: string }>;
  /** blocker depends on blocker; edges to blockers not given are left out. */
  dependencies: ReadonlyArray<{ blockerId: string; dependsOnId: string }>;
}

export interface GraphData {
  nodes: Map<string, GraphNodeData>;
  edges: GraphEdgeData[];
}

export function buildBlockerGraph(input: GraphInput): GraphData {
  const nodes = new Map<string, GraphNodeData>();
  for (const p of input.providers) nodes.set(p.id, { ...p, kind: GraphNodeKind.PROVIDER });
  for (const d of input.datasets)
    nodes.set(d.id, { id: d.id, label: d.label, weight: d.weight, kind: GraphNodeKind.DATASET });
  const blockers = new Map(input.blockers.map((b) => [b.id, b]));
  for (const b of input.blockers)
    nodes.set(b.id, { id: b.id, label: b.label, weight: b.weight, kind: GraphNodeKind.BLOCKER });

  const edges: GraphEdgeData[] = [];
  const needs = new Map(input.needs.map((n) => [n.id, n]));
  for (const n of input.needs) {
    if (!nodes.has(n.requesterId) || !nodes.has(n.supplierId)) continue;
    edges.push({
      source: n.requesterId,
      target: n.supplierId,
      kind: GraphEdgeKind.NEEDS,
      needId: n.id,
      blocked: n.blocked,
    });
  }
  for (const d of input.datasets) {
    if (!nodes.has(d.holderId)) continue;
    edges.push({ source: d.holderId, target: d.id, kind: GraphEdgeKind.HOLDS, needId: null, blocked: false });
  }
  for (const { blockerId, needId } of input.links) {
    const blocker = blockers.get(blockerId);
    const need = needs.get(needId);
    if (!blocker || !need) continue;
    for (const target of new Set([need.requesterId, need.supplierId])) {
      if (!nodes.has(target)) continue;
      edges.push({ source: blockerId, target, kind: GraphEdgeKind.BLOCKS, needId, blocked: blocker.open });
    }
  }
  for (const { blockerId, dependsOnId } of input.dependencies) {
    const blocker = blockers.get(blockerId);
    const prerequisite = blockers.get(dependsOnId);
    if (!blocker || !prerequisite) continue;
    edges.push({
      source: blockerId,
      target: dependsOnId,
      kind: GraphEdgeKind.DEPENDS_ON,
      needId: null,
      // The dependency holds the blocker up while both are open.
      blocked: blocker.open && prerequisite.open,
    });
  }
  return { nodes, edges };
}

export interface NeighbourhoodQuery {
  /** A node id of the graph, or null for the whole graph. */
  focusId: string | null;
  /** Hops from the focus (ignored without a focus). */
  depth: number;
  /** Most nodes returned. */
  limit: number;
}

export interface GraphAnswer {
  nodes: GraphNodeData[];
  edges: GraphEdgeData[];
  /** Nodes that matched before the limit cut. */
  totalNodes: number;
  truncated: boolean;
}

const EDGE_ORDER: Record<GraphEdgeKind, number> = { NEEDS: 0, HOLDS: 1, BLOCKS: 2, DEPENDS_ON: 3 };
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The focus's neighbourhood (or every connected node), cut at `limit` nodes: nearest first, then the
 * most connected, then by id, so the same question always gets the same answer. Edges are those
 * between the nodes kept.
 */
export function neighbourhood(graph: GraphData, query: NeighbourhoodQuery): GraphAnswer {
  const adjacent = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    const set = adjacent.get(a);
    if (set) set.add(b);
    else adjacent.set(a, new Set([b]));
  };
  for (const e of graph.edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const degree = (id: string): number => adjacent.get(id)?.size ?? 0;

  const distance = new Map<string, number>();
  if (query.focusId === null) {
    for (const id of adjacent.keys()) distance.set(id, 0);
  } else if (degree(query.focusId) > 0) {
    distance.set(query.focusId, 0);
    let frontier = [query.focusId];
    for (let hop = 1; hop <= query.depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const n of adjacent.get(id) ?? []) {
          if (distance.has(n)) continue;
          distance.set(n, hop);
          next.push(n);
        }
      }
      frontier = next;
    }
  }

  const ranked = [...distance.keys()].sort(
    (a, b) => distance.get(a)! - distance.get(b)! || degree(b) - degree(a) || compareText(a, b),
  );
  const kept = ranked.slice(0, Math.max(0, query.limit));
  const keep = new Set(kept);
  const edges = graph.edges
    .filter((e) => keep.has(e.source) && keep.has(e.target))
    .sort(
      (a, b) =>
        EDGE_ORDER[a.kind] - EDGE_ORDER[b.kind] ||
        compareText(a.source, b.source) ||
        compareText(a.target, b.target) ||
        compareText(a.needId ?? '', b.needId ?? ''),
    );
  return {
    nodes: kept.map((id) => graph.nodes.get(id)!),
    edges,
    totalNodes: ranked.length,
    truncated: ranked.length > kept.length,
  };
}
