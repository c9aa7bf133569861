/**
 * The blocker graph of ./blocker-graph read straight from a RegistryIndex, node by node: the same
 * nodes and edges buildBlockerGraph makes from the same rows (node ids are global IDs), but only for
 * the nodes a question reaches. Neighbours, edges and nodes are remembered as they are read, for one
 * rule of shown blockers; after a patch of the index, `catchUp` forgets those of the nodes it touched.
 */
import { GraphEdgeData, GraphEdgeKind, GraphNodeData, GraphNodeKind, GraphSource } from './blocker-graph';
import { RegistryIndex } from './registry-index';

export type GlobalIdOf = (type: 'Provider' | 'Dataset' | 'Blocker' | 'DataNeed', id: string) => string;

export interface GraphViewOptions {
  /** Blockers that take part (visible to the viewer, open when openOnly, of the layers asked). */
  shows: (blockerId: string) => boolean;
  /** Leave out withdrawn needs. */
  openOnly: boolean;
  globalId: GlobalIdOf;
}

type NodeRef = { kind: GraphNodeKind; id: string };

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Weights: providers and datasets count the open blockers touching them (as the whole-registry
 * computation does); blockers get 0 here, their priority score is the caller's to fill in.
 */
export class RegistryGraphView implements GraphSource {
  private readonly refs = new Map<string, NodeRef>();
  private readonly ids = {
    [GraphNodeKind.PROVIDER]: new Map<string, string>(),
    [GraphNodeKind.DATASET]: new Map<string, string>(),
    [GraphNodeKind.BLOCKER]: new Map<string, string>(),
  };
  private readonly neighbourLists = new Map<string, string[]>();
  private readonly outEdgeLists = new Map<string, GraphEdgeData[]>();
  private readonly nodes = new Map<string, GraphNodeData>();
  private readonly shown = new Map<string, boolean>();
  /** The index version the view reflects. */
  version: number;

  constructor(
    readonly index: RegistryIndex,
    private readonly options: GraphViewOptions,
  ) {
    this.version = index.version;
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
        const gid = this.ids[kind].get(id);
        if (gid === undefined) continue;
        this.neighbourLists.delete(gid);
        this.outEdgeLists.delete(gid);
        this.nodes.delete(gid);
      }
    };
    forget(GraphNodeKind.PROVIDER, change.providers);
    forget(GraphNodeKind.DATASET, change.datasets);
    forget(GraphNodeKind.BLOCKER, change.blockers);
    for (const id of change.blockers) this.shown.delete(id);
    this.version = this.index.version;
    return true;
  }

  private gid(kind: GraphNodeKind, id: string): string {
    const known = this.ids[kind].get(id);
    if (known !== undefined) return known;
    const type =
      kind === GraphNodeKind.PROVIDER ? 'Provider' : kind === GraphNodeKind.DATASET ? 'Dataset' : 'Blocker';
    const gid = this.options.globalId(type, id);
    this.ids[kind].set(id, gid);
    this.refs.set(gid, { kind, id });
    return gid;
  }

  /** The node a global ID names, registering it when the index has it. */
  private ref(gid: string): NodeRef | undefined {
    return this.refs.get(gid);
  }

  /** Make a focus known to the view (its global ID and what it is). */
  focus(kind: GraphNodeKind, id: string): string {
    return this.gid(kind, id);
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

  *connected(): Iterable<string> {
    for (const id of this.index.providers.keys()) {
      const gid = this.gid(GraphNodeKind.PROVIDER, id);
      if (this.neighbours(gid).length > 0) yield gid;
    }
    for (const id of this.index.datasets.keys()) {
      const gid = this.gid(GraphNodeKind.DATASET, id);
      if (this.neighbours(gid).length > 0) yield gid;
    }
    for (const id of this.index.blockers.keys()) {
      if (!this.shows(id)) continue;
      const gid = this.gid(GraphNodeKind.BLOCKER, id);
      if (this.neighbours(gid).length > 0) yield gid;
    }
  }

  neighbours(gid: string): readonly string[] {
    const known = this.neighbourLists.get(gid);
    if (known) return known;
    const ref = this.ref(gid);
    const found = new Set<string>();
    const provider = (id: string): void => {
      if (this.index.providers.has(id)) found.add(this.gid(GraphNodeKind.PROVIDER, id));
    };
    const { index } = this;
    if (ref?.kind === GraphNodeKind.PROVIDER && index.providers.has(ref.id)) {
      for (const needId of index.needsOfProvider.get(ref.id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        if (!index.providers.has(need.requesterId) || !index.providers.has(need.supplierId)) continue;
        provider(need.requesterId === ref.id ? need.supplierId : need.requesterId);
        for (const b of index.blockersOfNeed.get(needId) ?? EMPTY) {
          if (this.shows(b)) found.add(this.gid(GraphNodeKind.BLOCKER, b));
        }
      }
      for (const d of index.datasetsOfHolder.get(ref.id) ?? EMPTY)
        found.add(this.gid(GraphNodeKind.DATASET, d));
    } else if (ref?.kind === GraphNodeKind.DATASET) {
      const dataset = index.datasets.get(ref.id);
      if (dataset) provider(dataset.holderId);
    } else if (ref?.kind === GraphNodeKind.BLOCKER && this.shows(ref.id)) {
      for (const needId of index.needsOfBlocker.get(ref.id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        provider(need.requesterId);
        provider(need.supplierId);
      }
      for (const other of [
        ...(index.prerequisites.get(ref.id) ?? EMPTY),
        ...(index.dependents.get(ref.id) ?? EMPTY),
      ]) {
        if (this.shows(other)) found.add(this.gid(GraphNodeKind.BLOCKER, other));
      }
    }
    const list = [...found];
    this.neighbourLists.set(gid, list);
    return list;
  }

  outEdges(gid: string): readonly GraphEdgeData[] {
    const known = this.outEdgeLists.get(gid);
    if (known) return known;
    const ref = this.ref(gid);
    const { index } = this;
    const edges: GraphEdgeData[] = [];
    const needGid = (id: string): string => this.options.globalId('DataNeed', id);
    if (ref?.kind === GraphNodeKind.PROVIDER && index.providers.has(ref.id)) {
      for (const needId of index.needsOfProvider.get(ref.id) ?? EMPTY) {
        const need = index.needs.get(needId)!;
        if (need.requesterId !== ref.id || !this.needShown(needId) || !index.providers.has(need.supplierId))
          continue;
        edges.push({
          source: gid,
          target: this.gid(GraphNodeKind.PROVIDER, need.supplierId),
          kind: GraphEdgeKind.NEEDS,
          needId: needGid(needId),
          blocked: index.impactGraph.openBlockersOfNeed.has(needId),
        });
      }
      for (const d of index.datasetsOfHolder.get(ref.id) ?? EMPTY) {
        edges.push({
          source: gid,
          target: this.gid(GraphNodeKind.DATASET, d),
          kind: GraphEdgeKind.HOLDS,
          needId: null,
          blocked: false,
        });
      }
    } else if (ref?.kind === GraphNodeKind.BLOCKER && this.shows(ref.id)) {
      const open = index.isOpen(ref.id);
      for (const needId of index.needsOfBlocker.get(ref.id) ?? EMPTY) {
        if (!this.needShown(needId)) continue;
        const need = index.needs.get(needId)!;
        for (const target of new Set([need.requesterId, need.supplierId])) {
          if (!index.providers.has(target)) continue;
          edges.push({
            source: gid,
            target: this.gid(GraphNodeKind.PROVIDER, target),
            kind: GraphEdgeKind.BLOCKS,
            needId: needGid(needId),
            blocked: open,
          });
        }
      }
      for (const p of index.prerequisites.get(ref.id) ?? EMPTY) {
        if (!this.shows(p)) continue;
        edges.push({
          source: gid,
          target: this.gid(GraphNodeKind.BLOCKER, p),
          kind: GraphEdgeKind.DEPENDS_ON,
          needId: null,
          // The dependency holds the blocker up while both are open.
          blocked: open && index.isOpen(p),
        });
      }
    }
    this.outEdgeLists.set(gid, edges);
    return edges;
  }

  /** A node as answers show it (a copy: the caller may fill in a blocker's weight). */
  node(gid: string): GraphNodeData {
    let node = this.nodes.get(gid);
    if (!node) {
      node = this.build(gid);
      this.nodes.set(gid, node);
    }
    return { ...node };
  }

  private build(gid: string): GraphNodeData {
    const ref = this.ref(gid)!;
    const { index } = this;
    if (ref.kind === GraphNodeKind.BLOCKER) {
      return { id: gid, kind: ref.kind, label: `KNP-${index.blockers.get(ref.id)!.number}`, weight: 0 };
    }
    const touching = new Set<string>();
    const touch = (needIds: ReadonlySet<string> | undefined): void => {
      for (const needId of needIds ?? EMPTY) {
        for (const b of index.blockersOfNeed.get(needId) ?? EMPTY) if (index.isOpen(b)) touching.add(b);
      }
    };
    if (ref.kind === GraphNodeKind.PROVIDER) {
      touch(index.needsOfProvider.get(ref.id));
      for (const b of index.blockersOfOwner.get(ref.id) ?? EMPTY) if (index.isOpen(b)) touching.add(b);
      return { id: gid, kind: ref.kind, label: index.providers.get(ref.id)!.label, weight: touching.size };
    }
    touch(index.needsOfDataset.get(ref.id));
    return { id: gid, kind: ref.kind, label: index.datasets.get(ref.id)!.label, weight: touching.size };
  }
}
