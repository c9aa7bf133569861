/**
 * The registry as the analytics need it, in memory, and kept current by patches: pure data structures
 * without I/O. A patch names the rows that changed (blockers, needs, providers, datasets) and carries
 * their current state as read from the database; rows it names but does not carry are gone. For a
 * blocker it carries every link, dependency (either direction) and endorsement the blocker has now.
 *
 * Alongside the rows the index maintains the ImpactGraph of ./impact (the open part of the registry),
 * patched for what changed, so that it always equals buildImpactGraph over the same rows.
 */
import { DependencyGraph } from '@app/blockers/domain/graph';
import { ImpactGraph } from './impact';

export interface BlockerRow {
  id: string;
  number: number;
  open: boolean;
  layer: string;
  ownerId: string | null;
  reportingProviderId: string | null;
  confidential: boolean;
}

export interface NeedRow {
  id: string;
  requesterId: string;
  supplierId: string;
  datasetId: string | null;
  withdrawn: boolean;
  annualCases: number | null;
  /** created_at in microseconds since the epoch, exactly as stored (lists of needs are ordered by it). */
  createdMicros: number;
}

export interface ProviderRow {
  id: string;
  /** The graph's label: the abbreviation, else the name. */
  label: string;
  name: string;
}

export interface DatasetRow {
  id: string;
  holderId: string;
  label: string;
}

export interface LinkRow {
  blockerId: string;
  needId: string;
}

export interface DependencyRow {
  blockerId: string;
  dependsOnId: string;
}

export interface EndorsementRow {
  blockerId: string;
  providerId: string;
}

export interface RegistryRows {
  providers: readonly ProviderRow[];
  datasets: readonly DatasetRow[];
  needs: readonly NeedRow[];
  blockers: readonly BlockerRow[];
  links: readonly LinkRow[];
  dependencies: readonly DependencyRow[];
  endorsements: readonly EndorsementRow[];
}

/** What changed: the ids that were reloaded and the rows found for them. */
export interface RegistryPatch {
  blockerIds: readonly string[];
  needIds: readonly string[];
  providerIds: readonly string[];
  datasetIds: readonly string[];
  /** Rows as they are now; those of the named ids that are absent were deleted. */
  rows: RegistryRows;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * What one patch may have changed for the caches derived from the index, before or after it: the
 * graph nodes whose neighbours, edges, label, weight or visibility may differ (see ./registry-graph),
 * and the blockers whose impact scores may differ (see ./impact).
 */
export interface IndexChange {
  readonly providers: ReadonlySet<string>;
  readonly datasets: ReadonlySet<string>;
  readonly blockers: ReadonlySet<string>;
  readonly scored: ReadonlySet<string>;
}

type ChangedIds = Pick<RegistryPatch, 'blockerIds' | 'needIds' | 'providerIds' | 'datasetIds'>;

/** How many patches the index remembers the changes of. */
const CHANGE_LOG = 64;

export class RegistryIndex {
  readonly providers = new Map<string, ProviderRow>();
  readonly datasets = new Map<string, DatasetRow>();
  readonly datasetsOfHolder = new Map<string, Set<string>>();
  readonly needs = new Map<string, NeedRow>();
  /** provider -> needs it requests or supplies. */
  readonly needsOfProvider = new Map<string, Set<string>>();
  readonly blockers = new Map<string, BlockerRow>();
  /** Every link, open or closed blocker. */
  readonly needsOfBlocker = new Map<string, Set<string>>();
  readonly blockersOfNeed = new Map<string, Set<string>>();
  /** Every dependency, open or closed ends. */
  readonly prerequisites = new Map<string, Set<string>>();
  readonly dependents = new Map<string, Set<string>>();
  readonly endorsers = new Map<string, Set<string>>();
  readonly blockersOfOwner = new Map<string, Set<string>>();
  readonly needsOfDataset = new Map<string, Set<string>>();

  // The open part, as ImpactGraph (see ./impact).
  private readonly open = new Set<string>();
  private readonly openBlockersOfNeed = new Map<string, string[]>();
  private readonly openNeedsOfBlocker = new Map<string, string[]>();
  private readonly annualCases = new Map<string, number>();
  private readonly requesterOf = new Map<string, string>();
  private readonly blockedNeedsOfRequester = new Map<string, number>();
  private readonly openPrerequisites = new Map<string, string[]>();
  private readonly openDependents = new Map<string, string[]>();
  private readonly dependencyGraph: DependencyGraph;
  readonly impactGraph: ImpactGraph;

  /** Increases with every patch: caches derived from the index are keyed by it. */
  version = 0;
  /** The change of each recent patch, by the version it produced. */
  private readonly changeLog = new Map<number, IndexChange>();

  constructor() {
    this.dependencyGraph = {
      prerequisites: this.openPrerequisites,
      dependents: this.openDependents,
      isOpen: (id) => this.open.has(id),
    };
    this.impactGraph = {
      open: this.open,
      dependencies: this.dependencyGraph,
      openBlockersOfNeed: this.openBlockersOfNeed,
      needsOfBlocker: this.openNeedsOfBlocker,
      annualCases: this.annualCases,
      requesterOf: this.requesterOf,
      blockedNeedsOfRequester: this.blockedNeedsOfRequester,
    };
  }

  static load(rows: RegistryRows): RegistryIndex {
    const index = new RegistryIndex();
    index.patch({
      blockerIds: rows.blockers.map((b) => b.id),
      needIds: rows.needs.map((n) => n.id),
      providerIds: rows.providers.map((p) => p.id),
      datasetIds: rows.datasets.map((d) => d.id),
      rows,
    });
    return index;
  }

  isOpen(blockerId: string): boolean {
    return this.open.has(blockerId);
  }

  /** The requesters and suppliers of the needs a blocker affects (open or closed blocker). */
  affectedProvidersOf(blockerId: string): Set<string> {
    const result = new Set<string>();
    for (const needId of this.needsOfBlocker.get(blockerId) ?? EMPTY) {
      const need = this.needs.get(needId);
      if (!need) continue;
      result.add(need.requesterId);
      result.add(need.supplierId);
    }
    return result;
  }

  /** Apply the rows a patch carries; afterwards the index equals a fresh load of the same registry. */
  apply(patch: RegistryPatch): void {
    const change: IndexChange = {
      providers: new Set(),
      datasets: new Set(),
      blockers: new Set(),
      scored: new Set(),
    };
    const changed = this.changedOf(patch);
    this.collectChange(changed, change);
    this.patch(patch);
    this.collectChange(changed, change);
    this.version++;
    this.changeLog.set(this.version, change);
    this.changeLog.delete(this.version - CHANGE_LOG);
  }

  /**
   * Everything that may have changed since `version` (a cache made then is valid again once it has
   * forgotten what these name), or null when the index no longer remembers that far back.
   */
  changesSince(version: number): IndexChange | null {
    if (version > this.version) return null;
    const result = {
      providers: new Set<string>(),
      datasets: new Set<string>(),
      blockers: new Set<string>(),
      scored: new Set<string>(),
    };
    for (let v = version + 1; v <= this.version; v++) {
      const change = this.changeLog.get(v);
      if (!change) return null;
      for (const id of change.providers) result.providers.add(id);
      for (const id of change.datasets) result.datasets.add(id);
      for (const id of change.blockers) result.blockers.add(id);
      for (const id of change.scored) result.scored.add(id);
    }
    return result;
  }

  /**
   * The ids of the patch whose rows differ from what the index holds: an event can name a row it did
   * not change (a rank shift, an urgency refresh, a comment), and such a row changes no derived cache.
   */
  private changedOf(patch: RegistryPatch): ChangedIds {
    const { rows } = patch;
    const same = (a: object | undefined, b: object | undefined): boolean =>
      a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
    const sameSet = (a: ReadonlySet<string> | undefined, b: readonly string[]): boolean =>
      (a?.size ?? 0) === new Set(b).size && b.every((x) => a!.has(x));
    const byId = <T extends { id: string }>(list: readonly T[]): Map<string, T> =>
      new Map(list.map((r) => [r.id, r]));
    const group = (pairs: Array<[string, string]>): Map<string, string[]> => {
      const map = new Map<string, string[]>();
      for (const [k, v] of pairs) map.set(k, [...(map.get(k) ?? []), v]);
      return map;
    };
    const providers = byId(rows.providers);
    const datasets = byId(rows.datasets);
    const needs = byId(rows.needs);
    const blockers = byId(rows.blockers);
    const links = group(rows.links.map((l) => [l.blockerId, l.needId]));
    const prerequisites = group(rows.dependencies.map((d) => [d.blockerId, d.dependsOnId]));
    const dependents = group(rows.dependencies.map((d) => [d.dependsOnId, d.blockerId]));
    const endorsers = group(rows.endorsements.map((e) => [e.blockerId, e.providerId]));
    return {
      providerIds: patch.providerIds.filter((id) => !same(this.providers.get(id), providers.get(id))),
      datasetIds: patch.datasetIds.filter((id) => !same(this.datasets.get(id), datasets.get(id))),
      needIds: patch.needIds.filter((id) => !same(this.needs.get(id), needs.get(id))),
      blockerIds: patch.blockerIds.filter(
        (id) =>
          !same(this.blockers.get(id), blockers.get(id)) ||
          !sameSet(this.needsOfBlocker.get(id), links.get(id) ?? []) ||
          !sameSet(this.prerequisites.get(id), prerequisites.get(id) ?? []) ||
          !sameSet(this.dependents.get(id), dependents.get(id) ?? []) ||
          !sameSet(this.endorsers.get(id), endorsers.get(id) ?? []),
      ),
    };
  }

  /**
   * Add to `into` what the patch touches in the index as it stands; called before and after applying
   * it, so that both the old and the new neighbours count.
   */
  private collectChange(patch: ChangedIds, into: IndexChange): void {
    const providers = into.providers as Set<string>;
    const datasets = into.datasets as Set<string>;
    const blockers = into.blockers as Set<string>;
    const scored = into.scored as Set<string>;
    // Blockers whose row, links or visibility (the ends of their needs) may change.
    const changedBlockers = new Set(patch.blockerIds);
    for (const needId of patch.needIds)
      for (const b of this.blockersOfNeed.get(needId) ?? EMPTY) changedBlockers.add(b);
    const needs = new Set(patch.needIds);
    for (const b of changedBlockers) for (const n of this.needsOfBlocker.get(b) ?? EMPTY) needs.add(n);
    // A provider that appears or goes changes what its counterparts and datasets show.
    for (const p of patch.providerIds) {
      providers.add(p);
      for (const n of this.needsOfProvider.get(p) ?? EMPTY) {
        needs.add(n);
        for (const b of this.blockersOfNeed.get(n) ?? EMPTY) blockers.add(b);
      }
      for (const d of this.datasetsOfHolder.get(p) ?? EMPTY) datasets.add(d);
    }
    for (const d of patch.datasetIds) {
      datasets.add(d);
      const holder = this.datasets.get(d)?.holderId;
      if (holder !== undefined) providers.add(holder);
    }
    for (const b of changedBlockers) {
      blockers.add(b);
      for (const other of this.prerequisites.get(b) ?? EMPTY) blockers.add(other);
      for (const other of this.dependents.get(b) ?? EMPTY) blockers.add(other);
      const owner = this.blockers.get(b)?.ownerId;
      if (owner) providers.add(owner);
    }
    const requesters = new Set<string>();
    for (const n of needs) {
      const need = this.needs.get(n);
      if (!need) continue;
      providers.add(need.requesterId);
      providers.add(need.supplierId);
      if (need.datasetId !== null) datasets.add(need.datasetId);
      requesters.add(need.requesterId);
    }
    // Scores: a blocker's score reads the open blockers, people and requester of the needs its
    // resolution frees, and how many blocked needs those requesters have; a dependent's resolution
    // includes its prerequisites.
    const seeds = new Set<string>(blockers);
    for (const n of needs) for (const b of this.blockersOfNeed.get(n) ?? EMPTY) seeds.add(b);
    for (const r of requesters) {
      for (const n of this.needsOfProvider.get(r) ?? EMPTY) {
        if (this.requesterOf.get(n) !== r) continue;
        for (const b of this.openBlockersOfNeed.get(n) ?? []) seeds.add(b);
      }
    }
    const stack = [...seeds];
    while (stack.length > 0) {
      for (const d of this.dependents.get(stack.pop()!) ?? EMPTY) {
        if (seeds.has(d)) continue;
        seeds.add(d);
        stack.push(d);
      }
    }
    for (const b of seeds) scored.add(b);
  }

  private patch(patch: RegistryPatch): void {
    const { rows } = patch;
    for (const id of patch.providerIds) this.providers.delete(id);
    for (const p of rows.providers) this.providers.set(p.id, p);
    for (const id of patch.datasetIds) this.setDataset(id, null);
    for (const d of rows.datasets) this.setDataset(d.id, d);

    // Derived entries to recompute: the needs and blockers whose open links or open edges may change.
    const dirtyNeeds = new Set<string>(patch.needIds);
    const dirtyBlockers = new Set<string>(patch.blockerIds);

    const newNeeds = new Map(rows.needs.map((n) => [n.id, n]));
    for (const id of patch.needIds) this.setNeed(id, newNeeds.get(id) ?? null);

    const reloaded = new Set(patch.blockerIds);
    for (const id of reloaded) {
      for (const needId of this.needsOfBlocker.get(id) ?? EMPTY) {
        dirtyNeeds.add(needId);
        removeFrom(this.blockersOfNeed, needId, id);
      }
      this.needsOfBlocker.delete(id);
      for (const p of this.prerequisites.get(id) ?? EMPTY) {
        dirtyBlockers.add(p);
        removeFrom(this.dependents, p, id);
      }
      for (const d of this.dependents.get(id) ?? EMPTY) {
        dirtyBlockers.add(d);
        removeFrom(this.prerequisites, d, id);
      }
      this.prerequisites.delete(id);
      this.dependents.delete(id);
      this.endorsers.delete(id);
      const before = this.blockers.get(id);
      if (before?.ownerId) removeFrom(this.blockersOfOwner, before.ownerId, id);
      this.blockers.delete(id);
      this.open.delete(id);
    }
    for (const b of rows.blockers) {
      this.blockers.set(b.id, b);
      if (b.ownerId) addTo(this.blockersOfOwner, b.ownerId, b.id);
      if (b.open) this.open.add(b.id);
    }
    for (const { blockerId, needId } of rows.links) {
      if (!reloaded.has(blockerId)) continue;
      addTo(this.needsOfBlocker, blockerId, needId);
      addTo(this.blockersOfNeed, needId, blockerId);
      dirtyNeeds.add(needId);
    }
    for (const { blockerId, dependsOnId } of rows.dependencies) {
      if (!reloaded.has(blockerId) && !reloaded.has(dependsOnId)) continue;
      addTo(this.prerequisites, blockerId, dependsOnId);
      addTo(this.dependents, dependsOnId, blockerId);
      dirtyBlockers.add(blockerId);
      dirtyBlockers.add(dependsOnId);
    }
    for (const { blockerId, providerId } of rows.endorsements) {
      if (reloaded.has(blockerId)) addTo(this.endorsers, blockerId, providerId);
    }

    for (const id of dirtyBlockers) this.refreshBlocker(id);
    for (const id of dirtyNeeds) this.refreshNeed(id);
  }

  private setDataset(id: string, row: DatasetRow | null): void {
    const before = this.datasets.get(id);
    if (before) removeFrom(this.datasetsOfHolder, before.holderId, id);
    if (row) {
      this.datasets.set(id, row);
      addTo(this.datasetsOfHolder, row.holderId, id);
    } else this.datasets.delete(id);
  }

  private setNeed(id: string, row: NeedRow | null): void {
    const before = this.needs.get(id);
    if (before) {
      // Counted again by refreshNeed with the new requester.
      this.countBlocked(id, -1);
      removeFrom(this.needsOfProvider, before.requesterId, id);
      removeFrom(this.needsOfProvider, before.supplierId, id);
      if (before.datasetId !== null) removeFrom(this.needsOfDataset, before.datasetId, id);
      this.annualCases.delete(id);
      this.requesterOf.delete(id);
      this.needs.delete(id);
    }
    if (!row) return;
    this.needs.set(id, row);
    addTo(this.needsOfProvider, row.requesterId, id);
    addTo(this.needsOfProvider, row.supplierId, id);
    if (row.datasetId !== null) addTo(this.needsOfDataset, row.datasetId, id);
    this.annualCases.set(id, row.annualCases ?? 0);
    this.requesterOf.set(id, row.requesterId);
    this.countBlocked(id, 1);
  }

  /** Add (+1) or remove (-1) a blocked need from its requester's count, as it stands in the maps. */
  private countBlocked(needId: string, delta: 1 | -1): void {
    const requester = this.requesterOf.get(needId);
    if (requester === undefined || !this.openBlockersOfNeed.has(needId)) return;
    const count = (this.blockedNeedsOfRequester.get(requester) ?? 0) + delta;
    if (count === 0) this.blockedNeedsOfRequester.delete(requester);
    else this.blockedNeedsOfRequester.set(requester, count);
  }

  private refreshNeed(needId: string): void {
    this.countBlocked(needId, -1);
    const open = [...(this.blockersOfNeed.get(needId) ?? EMPTY)].filter((b) => this.open.has(b));
    if (open.length > 0) this.openBlockersOfNeed.set(needId, open);
    else this.openBlockersOfNeed.delete(needId);
    this.countBlocked(needId, 1);
  }

  private refreshBlocker(id: string): void {
    const open = this.open.has(id);
    const openOnes = (set: ReadonlySet<string> | undefined): string[] =>
      open ? [...(set ?? EMPTY)].filter((b) => this.open.has(b)) : [];
    const needs = open ? [...(this.needsOfBlocker.get(id) ?? EMPTY)] : [];
    const prerequisites = openOnes(this.prerequisites.get(id));
    const dependents = openOnes(this.dependents.get(id));
    const set = (map: Map<string, string[]>, list: string[]): void => {
      if (list.length > 0) map.set(id, list);
      else map.delete(id);
    };
    set(this.openNeedsOfBlocker, needs);
    set(this.openPrerequisites, prerequisites);
    set(this.openDependents, dependents);
  }
}
