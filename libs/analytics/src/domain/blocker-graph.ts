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
  /** Most edges returned. */
  edgeLimit: number;
}

export interface GraphAnswer {
  nodes: GraphNodeData[];
  edges: GraphEdgeData[];
  /** Nodes that matched before the limit cut. */
  totalNodes: number;
  /** Edges among the nodes kept, before the edge limit cut. */
  totalEdges: number;
  /** Nodes or edges were cut. */
  truncated: boolean;
}

const EDGE_ORDER: Record<GraphEdgeKind, number> = { NEEDS: 0, HOLDS: 1, BLOCKS: 2, DEPENDS_ON: 3 };
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order of edges in an answer. */
export const compareEdges = (a: GraphEdgeData, b: GraphEdgeData): number =>
  EDGE_ORDER[a.kind] - EDGE_ORDER[b.kind] ||
  compareText(a.source, b.source) ||
  compareText(a.target, b.target) ||
  compareText(a.needId ?? '', b.needId ?? '');

/**
 * The focus's neighbourhood (or every connected node), cut at `limit` nodes: nearest first, then the
 * most connected, then by id, so the same question always gets the same answer. Edges are those
 * between the nodes kept, cut at `edgeLimit`: those among the nodes nearer the top of that order first
 * (an edge ranks by the later of its two end points), then in answer order. This is the reference
 * definition over a built graph; neighbourhoodOf answers the same from a GraphSource without
 * building the whole graph.
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
  const position = new Map(kept.map((id, i) => [id, i]));
  const among = graph.edges.filter((e) => position.has(e.source) && position.has(e.target));
  const rank = (e: GraphEdgeData): number => Math.max(position.get(e.source)!, position.get(e.target)!);
  const edges = among
    .sort((a, b) => rank(a) - rank(b) || compareEdges(a, b))
    .slice(0, Math.max(0, query.edgeLimit))
    .sort(compareEdges);
  return {
    nodes: kept.map((id) => graph.nodes.get(id)!),
    edges,
    totalNodes: ranked.length,
    totalEdges: among.length,
    truncated: ranked.length > kept.length || among.length > edges.length,
  };
}

/** A graph read node by node, so that a neighbourhood never needs the whole graph built. */
export interface GraphSource {
  /** Every node with at least one edge (asked only for the whole-graph answer). */
  connected(): Iterable<string>;
  /** The distinct nodes joined to this one by an edge in either direction (itself for a loop). */
  neighbours(id: string): readonly string[];
  /** The edges whose source is this node. */
  outEdges(id: string): readonly GraphEdgeData[];
  node(id: string): GraphNodeData;
}

/** The `count` best ids by degree (highest first), then by id: a selection, not a sort of them all. */
function topByDegree(ids: string[], degree: (id: string) => number, count: number): string[] {
  const order = (a: string, b: string): number => degree(b) - degree(a) || compareText(a, b);
  if (ids.length <= count) return ids.sort(order);
  const degrees = Int32Array.from(ids, degree).sort();
  const threshold = degrees[degrees.length - count];
  return ids
    .filter((id) => degree(id) >= threshold)
    .sort(order)
    .slice(0, count);
}

/** neighbourhood() over a GraphSource: the same answer, reading only the nodes it needs. */
export function neighbourhoodOf(source: GraphSource, query: NeighbourhoodQuery): GraphAnswer {
  const degree = (id: string): number => source.neighbours(id).length;
  // Nodes by distance from the focus (every connected node at distance 0 without a focus).
  const rings: string[][] = [];
  if (query.focusId === null) {
    rings.push([...source.connected()]);
  } else if (degree(query.focusId) > 0) {
    const seen = new Set([query.focusId]);
    rings.push([query.focusId]);
    for (let hop = 1; hop <= query.depth; hop++) {
      const next: string[] = [];
      for (const id of rings[hop - 1]) {
        for (const n of source.neighbours(id)) {
          if (seen.has(n)) continue;
          seen.add(n);
          next.push(n);
        }
      }
      if (next.length === 0) break;
      rings.push(next);
    }
  }
  const totalNodes = rings.reduce((sum, ring) => sum + ring.length, 0);
  const kept: string[] = [];
  for (const ring of rings) {
    const room = query.limit - kept.length;
    if (room <= 0) break;
    kept.push(...topByDegree(ring, degree, room));
  }

  // Edges among the kept nodes, each found once at its source, grouped by the later end's position.
  const position = new Map(kept.map((id, i) => [id, i]));
  const byRank: GraphEdgeData[][] = kept.map(() => []);
  let totalEdges = 0;
  for (const id of kept) {
    const at = position.get(id)!;
    for (const e of source.outEdges(id)) {
      const other = position.get(e.target);
      if (other === undefined) continue;
      totalEdges++;
      byRank[Math.max(at, other)].push(e);
    }
  }
  const edges: GraphEdgeData[] = [];
  for (const group of byRank) {
    const room = query.edgeLimit - edges.length;
    if (room <= 0) break;
    edges.push(...(group.length > room ? group.sort(compareEdges).slice(0, room) : group));
  }
  edges.sort(compareEdges);
  return {
    nodes: kept.map((id) => source.node(id)),
    edges,
    totalNodes,
    totalEdges,
    truncated: totalNodes > kept.length || totalEdges > edges.length,
  };
}

/** A built graph as a GraphSource (for tests, and for graphs small enough to build whole). */
export function sourceOf(graph: GraphData): GraphSource {
  const adjacent = new Map<string, Set<string>>();
  const out = new Map<string, GraphEdgeData[]>();
  const link = (a: string, b: string): void => {
    const set = adjacent.get(a);
    if (set) set.add(b);
    else adjacent.set(a, new Set([b]));
  };
  for (const e of graph.edges) {
    link(e.source, e.target);
    link(e.target, e.source);
    const list = out.get(e.source);
    if (list) list.push(e);
    else out.set(e.source, [e]);
  }
  const neighbours = new Map([...adjacent].map(([id, set]) => [id, [...set]]));
  return {
    connected: () => neighbours.keys(),
    neighbours: (id) => neighbours.get(id) ?? [],
    outEdges: (id) => out.get(id) ?? [],
    node: (id) => graph.nodes.get(id)!,
  };
}
