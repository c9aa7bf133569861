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

/** The edges whose source is one node: each edge's target as a node number, beside the edge. */
export interface OutEdges {
  readonly targets: Int32Array;
  readonly edges: readonly GraphEdgeData[];
}

/**
 * A graph read node by node, so that a neighbourhood never needs the whole graph built. Nodes are
 * numbered (0, 1, 2, ...) as the source meets them, so that a walk keeps its marks in typed arrays
 * rather than in maps of ids; reading a node's neighbours may number new nodes (`size` grows).
 */
export interface GraphSource {
  /** The number of the node with this id, or -1 when the source has not met it. */
  numberOf(id: string): number;
  /** Every node number is below this. */
  readonly size: number;
  /** Every node with at least one edge (asked only for the whole-graph answer). */
  connected(): Iterable<number>;
  /** The distinct nodes joined to this one by an edge in either direction (itself for a loop). */
  neighbours(node: number): Int32Array;
  /** How many neighbours. */
  degree(node: number): number;
  /** The edges whose source is this node. */
  outEdges(node: number): OutEdges;
  idOf(node: number): string;
  node(node: number): GraphNodeData;
}

/**
 * The typed arrays a walk works in, indexed by node number (marks) or by step (the nodes in order),
 * kept from one walk to the next: at national scale each holds some 30 000 numbers, and allocating
 * them per question would put hundreds of kilobytes of short-lived external memory on the garbage
 * collector each time. A walk runs synchronously, so one set serves every walk of the process. Marks
 * are stamps: a node is marked in this walk when its entry equals the walk's stamp, so nothing needs
 * clearing between walks.
 */
class Scratch {
  private stamp = 0;
  seen: Int32Array = new Int32Array(0);
  /** placed[n] === stamp: node n is kept, at position[n]. */
  placed: Int32Array = new Int32Array(0);
  position: Int32Array = new Int32Array(0);
  order: Int32Array = new Int32Array(0);
  degrees: Int32Array = new Int32Array(0);

  /** Start a walk; returns its stamp. */
  begin(): number {
    if (this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.placed.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** Make room for node numbers below `size`. */
  nodes(size: number): void {
    if (size <= this.seen.length) return;
    const capacity = Math.max(size, this.seen.length * 2, 1024);
    this.seen = grow(this.seen, capacity);
    this.placed = grow(this.placed, capacity);
    this.position = grow(this.position, capacity);
  }

  /** Make room for `size` steps in `order`. */
  steps(size: number): void {
    if (size > this.order.length) this.order = grow(this.order, Math.max(size, this.order.length * 2, 1024));
  }

  /** A zeroed-or-not array of at least `size` for degrees (its contents are the caller's to set). */
  degreeRoom(size: number): Int32Array {
    if (size > this.degrees.length)
      this.degrees = new Int32Array(Math.max(size, this.degrees.length * 2, 1024));
    return this.degrees;
  }
}

function grow(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

const scratch = new Scratch();

/** The k-th smallest of values[0, size) (0-based; k < size), reordering them: a selection. */
function kthSmallest(values: Int32Array, size: number, k: number): number {
  let lo = 0;
  let hi = size - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * The `count` best nodes of ring[from, to) by degree (highest first), then by id: the degree of the
 * count-th best is found by selection, then only the nodes at or above it are sorted.
 */
function topByDegree(
  source: GraphSource,
  ring: Int32Array,
  from: number,
  to: number,
  count: number,
): number[] {
  const size = to - from;
  let threshold = -1;
  if (size > count) {
    const degrees = scratch.degreeRoom(size);
    for (let i = 0; i < size; i++) degrees[i] = source.degree(ring[from + i]);
    threshold = kthSmallest(degrees, size, size - count);
  }
  const candidates: number[] = [];
  const degreeOf: number[] = [];
  for (let i = from; i < to; i++) {
    const degree = source.degree(ring[i]);
    if (degree < threshold) continue;
    candidates.push(ring[i]);
    degreeOf.push(degree);
  }
  const order = candidates.map((_, i) => i);
  order.sort(
    (a, b) =>
      degreeOf[b] - degreeOf[a] || compareText(source.idOf(candidates[a]), source.idOf(candidates[b])),
  );
  return order.slice(0, count).map((i) => candidates[i]);
}

/**
 * neighbourhood() over a GraphSource: the same answer, reading only the nodes it needs. The walk keeps
 * its marks and rings in typed arrays by node number: a neighbourhood of two hops around a national
 * provider holds some 25 000 nodes reached over some 80 000 adjacencies.
 */
export function neighbourhoodOf(source: GraphSource, query: NeighbourhoodQuery): GraphAnswer {
  const stamp = scratch.begin();
  // Nodes by distance from the focus, ring after ring in `order` (every connected node at distance 0
  // without a focus); ring r is order[ringStart[r], ringStart[r + 1]).
  let length = 0;
  const ringStart = [0];
  if (query.focusId === null) {
    for (const node of source.connected()) {
      scratch.steps(length + 1);
      scratch.order[length++] = node;
    }
    ringStart.push(length);
  } else {
    const focus = source.numberOf(query.focusId);
    if (focus >= 0 && source.degree(focus) > 0) {
      scratch.nodes(source.size);
      scratch.steps(1);
      scratch.seen[focus] = stamp;
      scratch.order[length++] = focus;
      ringStart.push(length);
      for (let hop = 1; hop <= query.depth; hop++) {
        const from = ringStart[hop - 1];
        const to = ringStart[hop];
        for (let k = from; k < to; k++) {
          const neighbours = source.neighbours(scratch.order[k]);
          // Every number in the list is below source.size: make room once, then plain array reads.
          scratch.nodes(source.size);
          scratch.steps(length + neighbours.length);
          const { seen, order } = scratch;
          for (let i = 0; i < neighbours.length; i++) {
            const n = neighbours[i];
            if (seen[n] === stamp) continue;
            seen[n] = stamp;
            order[length++] = n;
          }
        }
        if (length === to) break;
        ringStart.push(length);
      }
    }
  }
  const totalNodes = length;
  const kept: number[] = [];
  for (let r = 0; r + 1 < ringStart.length; r++) {
    const room = query.limit - kept.length;
    if (room <= 0) break;
    for (const node of topByDegree(source, scratch.order, ringStart[r], ringStart[r + 1], room))
      kept.push(node);
  }

  // Edges among the kept nodes, each found once at its source, ranked by the later end's position:
  // count them per rank, then collect the ranks that fit whole and cut the first that does not.
  for (const n of kept) source.outEdges(n); // out-edges lead to nodes numbered by now
  scratch.nodes(source.size);
  const { placed, position } = scratch;
  for (let i = 0; i < kept.length; i++) {
    placed[kept[i]] = stamp;
    position[kept[i]] = i;
  }
  const perRank = new Int32Array(kept.length);
  let totalEdges = 0;
  for (let i = 0; i < kept.length; i++) {
    const { targets } = source.outEdges(kept[i]);
    for (let j = 0; j < targets.length; j++) {
      const target = targets[j];
      if (placed[target] !== stamp) continue;
      const other = position[target];
      totalEdges++;
      perRank[other > i ? other : i]++;
    }
  }
  let cut = kept.length; // the first rank that does not fit whole
  let room = query.edgeLimit;
  for (let rank = 0; rank < kept.length; rank++) {
    if (perRank[rank] > room) {
      cut = rank;
      break;
    }
    room -= perRank[rank];
  }
  // An edge of rank r has its source at a position <= r, so the sources up to the cut find them all.
  const edges: GraphEdgeData[] = [];
  const atCut: GraphEdgeData[] = [];
  for (let i = 0; i < kept.length && i <= cut; i++) {
    const out = source.outEdges(kept[i]);
    for (let j = 0; j < out.targets.length; j++) {
      const target = out.targets[j];
      if (placed[target] !== stamp) continue;
      const other = position[target];
      const rank = other > i ? other : i;
      if (rank < cut) edges.push(out.edges[j]);
      else if (rank === cut) atCut.push(out.edges[j]);
    }
  }
  if (atCut.length > 0 && room > 0) edges.push(...atCut.sort(compareEdges).slice(0, room));
  edges.sort(compareEdges);
  return {
    nodes: kept.map((n) => source.node(n)),
    edges,
    totalNodes,
    totalEdges,
    truncated: totalNodes > kept.length || totalEdges > edges.length,
  };
}

/** A built graph as a GraphSource (for tests, and for graphs small enough to build whole). */
export function sourceOf(graph: GraphData): GraphSource {
  const numbers = new Map<string, number>();
  const ids: string[] = [];
  const number = (id: string): number => {
    let n = numbers.get(id);
    if (n === undefined) {
      n = ids.length;
      numbers.set(id, n);
      ids.push(id);
    }
    return n;
  };
  const adjacent = new Map<number, Set<number>>();
  const out = new Map<number, GraphEdgeData[]>();
  const link = (a: number, b: number): void => {
    const set = adjacent.get(a);
    if (set) set.add(b);
    else adjacent.set(a, new Set([b]));
  };
  for (const e of graph.edges) {
    const source = number(e.source);
    const target = number(e.target);
    link(source, target);
    link(target, source);
    const list = out.get(source);
    if (list) list.push(e);
    else out.set(source, [e]);
  }
  for (const id of graph.nodes.keys()) number(id);
  const neighbours = new Map([...adjacent].map(([n, set]) => [n, Int32Array.from(set)]));
  const outEdges = new Map(
    [...out].map(([n, edges]) => [
      n,
      { targets: Int32Array.from(edges, (e) => numbers.get(e.target)!), edges },
    ]),
  );
  const none: OutEdges = { targets: new Int32Array(0), edges: [] };
  return {
    numberOf: (id) => numbers.get(id) ?? -1,
    get size() {
      return ids.length;
    },
    connected: () => neighbours.keys(),
    neighbours: (n) => neighbours.get(n) ?? new Int32Array(0),
    degree: (n) => neighbours.get(n)?.length ?? 0,
    outEdges: (n) => outEdges.get(n) ?? none,
    idOf: (n) => ids[n],
    node: (n) => graph.nodes.get(ids[n])!,
  };
}
