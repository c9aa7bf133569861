/**
 * The blocker graph of ./blocker-graph read straight from a RegistryIndex, node by node: the same
 * nodes and edges buildBlockerGraph makes from the same rows (node ids are global IDs), but only for
 * the nodes a question reaches. Neighbours, edges and nodes are remembered as they are read, for one
 * rule of shown blockers; after a patch of the index, `catchUp` forgets those of the nodes it touched.
 */
import {
  GraphAnswer,
  GraphEdgeData,
  GraphEdgeKind,
  GraphNodeData,
  GraphNodeKind,
  GraphSource,
  NeighbourhoodQuery,
  neighbourhoodOf,
  OutEdges,
} from './blocker-graph';
import { RegistryIndex } from './registry-index';

export type GlobalIdOf = (type: 'Provider' | 'Dataset' | 'Blocker' | 'DataNeed', id: string) => string;

export interface GraphViewOptions {
  /** Blockers that take part (visible to the viewer, open when openOnly, of the layers asked). */
  shows: (blockerId: string) => boolean;
  /** Leave out withdrawn needs. */
  openOnly: boolean;
  globalId: GlobalIdOf;
}

const EMPTY: ReadonlySet<string> = new Set();
/** Neighbourhoods a view remembers. */
const MAX_ANSWERS = 16;
const NONE = new Int32Array(0);
const NO_EDGES: OutEdges = { targets: NONE, edges: [] };

const TYPE_OF: Record<GraphNodeKind, 'Provider' | 'Dataset' | 'Blocker'> = {
  [GraphNodeKind.PROVIDER]: 'Provider',
  [GraphNodeKind.DATASET]: 'Dataset',
  [GraphNodeKind.BLOCKER]: 'Blocker',
};

/**
 * Weights: providers and datasets count the open blockers touching them (as the whole-registry
 * computation does); blockers get 0 here, their priority score is the caller's to fill in.
 *
 * Each node the view meets gets a number; what it remembers of a node (its neighbours as numbers,
 * its out-edges with their targets as numbers, its label and weight) sits in arrays by that number.
 * Numbers are never given back: a node that leaves the registry keeps its number and has no edges.
 */
export class RegistryGraphView implements GraphSource {
  /** Node number by kind and index id, and by global ID. */
  private readonly numbers = {
    [GraphNodeKind.PROVIDER]: new Map<string, number>(),
    [GraphNodeKind.DATASET]: new Map<string, number>(),
    [GraphNodeKind.BLOCKER]: new Map<string, number>(),
  };
  private readonly byGlobalId = new Map<string, number>();
  private readonly kinds: GraphNodeKind[] = [];
  private readonly localIds: string[] = [];
  private readonly globalIds: string[] = [];
  private readonly neighbourLists: Array<Int32Array | undefined> = [];
  private readonly outEdgeLists: Array<OutEdges | undefined> = [];
  private readonly nodes: Array<GraphNodeData | undefined> = [];
  private readonly shown = new Map<string, boolean>();
  private readonly answers = new Map<string, GraphAnswer>();
  /** The index version the view reflects. */
  version: number;

  constructor(
    readonly index: RegistryIndex,
    private readonly options: GraphViewOptions,
  ) {
    this.version = index.version;
  }

  get size(): number {
    return this.kinds.length;
  }

  /**
   * Bring the view to its index's current version by forgetting what the patches since may have
   * changed; false when the index no longer knows what they changed (the view must then be replaced).
   */
  catchUp(): boolean {
    if (this.version === this.index.version) return true;
    const change = this.index.changesSince(this.version);
    if (change === null) return false;
    const forget = (kind: GraphNodeKind, ids: ReadonlySet<string>): void => {
      for (const id of ids) {
        const n = this.numbers[kind].get(id);
        if (n === undefined) continue;
        this.neighbourLists[n] = undefined;
        this.outEdgeLists[n] = undefined;
        this.nodes[n] = undefined;
      }
    };
    forget(GraphNodeKind.PROVIDER, change.providers);
    forget(GraphNodeKind.DATASET, change.datasets);
    forget(GraphNodeKind.BLOCKER, change.blockers);
    for (const id of change.blockers) this.shown.delete(id);
    this.answers.clear();
    this.version = this.index.version;
    return true;
  }

  /** The number of a node of the index, given it on first meeting. */
  private numberFor(kind: GraphNodeKind, id: string): number {
    const known = this.numbers[kind].get(id);
    if (known !== undefined) return known;
    const n = this.kinds.length;
    const gid = this.options.globalId(TYPE_OF[kind], id);
    this.numbers[kind].set(id, n);
    this.byGlobalId.set(gid, n);
    this.kinds.push(kind);
    this.localIds.push(id);
    this.globalIds.push(gid);
    this.neighbourLists.push(undefined);
    this.outEdgeLists.push(undefined);
    this.nodes.push(undefined);
    return n;
  }

  /** Make a focus known to the view; its global ID. */
  focus(kind: GraphNodeKind, id: string): string {
    return this.globalIds[this.numberFor(kind, id)];
  }

  numberOf(gid: string): number {
    return this.byGlobalId.get(gid) ?? -1;
  }

  idOf(n: number): string {
    return this.globalIds[n];
  }

  /** The index id of a node's global ID, for a node the view has met. */
  localIdOf(gid: string): string | undefined {
    const n = this.byGlobalId.get(gid);
    return n === undefined ? undefined : this.localIds[n];
  }

  private shows(blockerId: string): boolean {
    let shown = this.shown.get(blockerId);
    if (shown === undefined) {
      shown = this.index.blockers.has(blockerId) && this.options.shows(blockerId);
      this.shown.set(blockerId, shown);
    }
    return shown;
  }

  private needShown(needId: string): boolean {
    const need = this.index.needs.get(needId);
    return need !== undefined && !(this.options.openOnly && need.withdrawn);
  }

  *connected(): Iterable<number> {
    for (const id of this.index.providers.keys()) {
      const n = this.numberFor(GraphNodeKind.PROVIDER, id);
      if (this.neighbours(n).length > 0) yield n;
    }
    for (const id of this.index.datasets.keys()) {
      const n = this.numberFor(GraphNodeKind.DATASET, id);
      if (this.neighbours(n).length > 0) yield n;
    }
    for (const id of this.index.blockers.keys()) {
      if (!this.shows(id)) continue;
      const n = this.numberFor(GraphNodeKind.BLOCKER, id);
      if (this.neighbours(n).length > 0) yield n;
    }
  }

  neighbours(n: number): Int32Array {
    const known = this.neighbourLists[n];
    if (known) return known;
    const list = this.readNeighbours(n);
    this.neighbourLists[n] = list;
    return list;
  }

  degree(n: number): number {
    return this.neighbours(n).length;
  }

  private readNeighbours(n: number): Int32Array {
    const kind = this.kinds[n];
    const id = this.localIds[n];
    if (kind === undefined) return NONE;
    const found = new Set<number>();
    const { index } = this;
    const provider = (p: string): void => {
      if (index.providers.has(p)) found.add(this.numberFor(GraphNodeKind.PROVIDER, p));
    };
    if (kind === GraphNodeKind.PROVIDER && index.providers.has(id)) {
      for (const needId of index.needsOfProvider.get(id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        if (!index.providers.has(need.requesterId) || !index.providers.has(need.supplierId)) continue;
        provider(need.requesterId === id ? need.supplierId : need.requesterId);
        for (const b of index.blockersOfNeed.get(needId) ?? EMPTY) {
          if (this.shows(b)) found.add(this.numberFor(GraphNodeKind.BLOCKER, b));
        }
      }
      for (const d of index.datasetsOfHolder.get(id) ?? EMPTY)
        found.add(this.numberFor(GraphNodeKind.DATASET, d));
    } else if (kind === GraphNodeKind.DATASET) {
      const dataset = index.datasets.get(id);
      if (dataset) provider(dataset.holderId);
    } else if (kind === GraphNodeKind.BLOCKER && this.shows(id)) {
      for (const needId of index.needsOfBlocker.get(id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        provider(need.requesterId);
        provider(need.supplierId);
      }
      for (const other of [
        ...(index.prerequisites.get(id) ?? EMPTY),
        ...(index.dependents.get(id) ?? EMPTY),
      ]) {
        if (this.shows(other)) found.add(this.numberFor(GraphNodeKind.BLOCKER, other));
      }
    }
    return found.size > 0 ? Int32Array.from(found) : NONE;
  }

  outEdges(n: number): OutEdges {
    const known = this.outEdgeLists[n];
    if (known) return known;
    const edges = this.readOutEdges(n);
    this.outEdgeLists[n] = edges;
    return edges;
  }

  private readOutEdges(n: number): OutEdges {
    const kind = this.kinds[n];
    const id = this.localIds[n];
    const gid = this.globalIds[n];
    const { index } = this;
    const targets: number[] = [];
    const edges: GraphEdgeData[] = [];
    const add = (target: number, kind: GraphEdgeKind, needId: string | null, blocked: boolean): void => {
      targets.push(target);
      edges.push({ source: gid, target: this.globalIds[target], kind, needId, blocked });
    };
    const needGid = (needId: string): string => this.options.globalId('DataNeed', needId);
    if (kind === GraphNodeKind.PROVIDER && index.providers.has(id)) {
      for (const needId of index.needsOfProvider.get(id) ?? EMPTY) {
        const need = index.needs.get(needId)!;
        if (need.requesterId !== id || !this.needShown(needId) || !index.providers.has(need.supplierId))
          continue;
        add(
          this.numberFor(GraphNodeKind.PROVIDER, need.supplierId),
          GraphEdgeKind.NEEDS,
          needGid(needId),
          index.impactGraph.openBlockersOfNeed.has(needId),
        );
      }
      for (const d of index.datasetsOfHolder.get(id) ?? EMPTY) {
        add(this.numberFor(GraphNodeKind.DATASET, d), GraphEdgeKind.HOLDS, null, false);
      }
    } else if (kind === GraphNodeKind.BLOCKER && this.shows(id)) {
      const open = index.isOpen(id);
      for (const needId of index.needsOfBlocker.get(id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        for (const target of new Set([need.requesterId, need.supplierId])) {
          if (!index.providers.has(target)) continue;
          add(this.numberFor(GraphNodeKind.PROVIDER, target), GraphEdgeKind.BLOCKS, needGid(needId), open);
        }
      }
      for (const p of index.prerequisites.get(id) ?? EMPTY) {
        if (!this.shows(p)) continue;
        // The dependency holds the blocker up while both are open.
        add(
          this.numberFor(GraphNodeKind.BLOCKER, p),
          GraphEdgeKind.DEPENDS_ON,
          null,
          open && index.isOpen(p),
        );
      }
    }
    return edges.length > 0 ? { targets: Int32Array.from(targets), edges } : NO_EDGES;
  }

  /** A node as answers show it; shared between answers, so not to be changed. */
  node(n: number): GraphNodeData {
    let node = this.nodes[n];
    if (!node) {
      node = this.build(n);
      this.nodes[n] = node;
    }
    return node;
  }

  /**
   * neighbourhoodOf this view, remembered per query until the view next changes (any patch of its
   * index clears them all), the most recently asked MAX_ANSWERS. The answer is shared: not to be
   * changed.
   */
  neighbourhood(query: NeighbourhoodQuery): GraphAnswer {
    if (this.version !== this.index.version) return neighbourhoodOf(this, query);
    const key = `${query.focusId ?? ''}|${query.depth}|${query.limit}|${query.edgeLimit}`;
    let answer = this.answers.get(key);
    if (answer) this.answers.delete(key);
    else answer = neighbourhoodOf(this, query);
    this.answers.set(key, answer);
    for (const old of this.answers.keys()) {
      if (this.answers.size <= MAX_ANSWERS) break;
      this.answers.delete(old);
    }
    return answer;
  }

  private build(n: number): GraphNodeData {
    const kind = this.kinds[n];
    const id = this.localIds[n];
    const gid = this.globalIds[n];
    const { index } = this;
    if (kind === GraphNodeKind.BLOCKER) {
      return { id: gid, kind, label: `KNP-${index.blockers.get(id)!.number}`, weight: 0 };
    }
    const touching = new Set<string>();
    const touch = (needIds: ReadonlySet<string> | undefined): void => {
      for (const needId of needIds ?? EMPTY) {
        for (const b of index.blockersOfNeed.get(needId) ?? EMPTY) if (index.isOpen(b)) touching.add(b);
      }
    };
    if (kind === GraphNodeKind.PROVIDER) {
      touch(index.needsOfProvider.get(id));
      for (const b of index.blockersOfOwner.get(id) ?? EMPTY) if (index.isOpen(b)) touching.add(b);
      return { id: gid, kind, label: index.providers.get(id)!.label, weight: touching.size };
    }
    touch(index.needsOfDataset.get(id));
    return { id: gid, kind, label: index.datasets.get(id)!.label, weight: touching.size };
  }
}
