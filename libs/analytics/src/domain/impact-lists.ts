/**
 * blockerImpact answered from a RegistryIndex: the rows of every list, in the order the answer lists
 * them, without reading the database. The lists are those of ./impact (unblockedIfResolved,
 * prerequisites, dependents) and the blocker's own links (affectedNeeds, affectedProviders).
 */
import { blockerImpact } from './impact';
import { BlockerRow, NeedRow, ProviderRow, RegistryIndex } from './registry-index';

export interface ImpactLists {
  blocker: BlockerRow;
  /** Every need the blocker affects, by creation time (to the microsecond), then id. */
  affectedNeeds: NeedRow[];
  /** Requesters and suppliers of those needs and the endorsers, by name, then id. */
  affectedProviders: ProviderRow[];
  /** Sum of annualCases over affectedNeeds. */
  peopleAffectedPerYear: number;
  /** By creation time (to the millisecond, as a JavaScript Date holds it), then id. */
  unblockedIfResolved: NeedRow[];
  /** Those the viewer may see, by number. */
  prerequisites: BlockerRow[];
  dependents: BlockerRow[];
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byMicros = (a: NeedRow, b: NeedRow): number =>
  a.createdMicros - b.createdMicros || compareIds(a.id, b.id);
const byMillis = (a: NeedRow, b: NeedRow): number =>
  Math.floor(a.createdMicros / 1000) - Math.floor(b.createdMicros / 1000) || compareIds(a.id, b.id);
const byName = (a: ProviderRow, b: ProviderRow): number =>
  a.name.localeCompare(b.name) || compareIds(a.id, b.id);
const byNumber = (a: BlockerRow, b: BlockerRow): number => a.number - b.number;

/**
 * The impact of a blocker the index holds, or null when it does not hold it. `visible` decides which
 * blockers the viewer may see; computations count every blocker (ADR 7), the lists name the visible.
 */
export function impactLists(
  index: RegistryIndex,
  blockerId: string,
  visible: (blockerId: string) => boolean,
): ImpactLists | null {
  const blocker = index.blockers.get(blockerId);
  if (!blocker) return null;
  const needRows = (ids: Iterable<string>): NeedRow[] => {
    const rows: NeedRow[] = [];
    for (const id of ids) {
      const need = index.needs.get(id);
      if (need) rows.push(need);
    }
    return rows;
  };
  const blockerRows = (ids: Iterable<string>): BlockerRow[] => {
    const rows: BlockerRow[] = [];
    for (const id of ids) {
      const row = index.blockers.get(id);
      if (row && visible(id)) rows.push(row);
    }
    return rows.sort(byNumber);
  };
  const affectedNeeds = needRows(index.needsOfBlocker.get(blockerId) ?? []).sort(byMicros);
  const providerIds = new Set<string>();
  let people = 0;
  for (const need of affectedNeeds) {
    providerIds.add(need.requesterId);
    providerIds.add(need.supplierId);
    people += need.annualCases ?? 0;
  }
  for (const p of index.endorsers.get(blockerId) ?? []) providerIds.add(p);
  const affectedProviders: ProviderRow[] = [];
  for (const id of providerIds) {
    const provider = index.providers.get(id);
    if (provider) affectedProviders.push(provider);
  }
  const ids = blockerImpact(index.impactGraph, blockerId);
  const prerequisites = new Set(ids.prerequisites);
  return {
    blocker,
    affectedNeeds,
    affectedProviders: affectedProviders.sort(byName),
    peopleAffectedPerYear: people,
    unblockedIfResolved: needRows(new Set(ids.unblockedIfResolved)).sort(byMillis),
    prerequisites: blockerRows(prerequisites),
    // A blocker on both sides (a cycle, which the registry refuses) is listed as a prerequisite only.
    dependents: blockerRows(new Set(ids.dependents.filter((id) => !prerequisites.has(id)))),
  };
}
