/**
 * The analytics index kept current by patches equals a fresh load, after random sequences of changes
 * (blockers reported, changed, opened and closed, merged; links, dependencies and endorsements added
 * and removed; needs declared and changed; providers and datasets added): its rows, its ImpactGraph
 * (against buildImpactGraph) and the graph read from it (against buildBlockerGraph + neighbourhood).
 * A patch names only what the audit event of the change names: the changed row (for a dependency, the
 * dependent blocker only; for a merge, both blockers).
 */
import fc from 'fast-check';
import { buildBlockerGraph, GraphNodeKind, neighbourhood, neighbourhoodOf } from './blocker-graph';
import { buildImpactGraph, ImpactGraph, ImpactMeasure } from './impact';
import { Ranking } from './ranking';
import { RegistryGraphView } from './registry-graph';
import {
  BlockerRow,
  DatasetRow,
  NeedRow,
  ProviderRow,
  RegistryIndex,
  RegistryPatch,
  RegistryRows,
} from './registry-index';

/** The database of the test: rows by id, and link tables as sets of "a b" keys. */
interface Db {
  providers: Map<string, ProviderRow>;
  datasets: Map<string, DatasetRow>;
  needs: Map<string, NeedRow>;
  blockers: Map<string, BlockerRow>;
  links: Set<string>;
  dependencies: Set<string>;
  endorsements: Set<string>;
}

interface Named {
  blockers: string[];
  needs: string[];
  providers: string[];
  datasets: string[];
}

const PROVIDERS = 4;
const pair = (key: string): [string, string] => key.split(' ') as [string, string];

function rowsOf(db: Db): RegistryRows {
  return {
    providers: [...db.providers.values()],
    datasets: [...db.datasets.values()],
    needs: [...db.needs.values()],
    blockers: [...db.blockers.values()],
    links: [...db.links].map(pair).map(([blockerId, needId]) => ({ blockerId, needId })),
    dependencies: [...db.dependencies]
      .map(pair)
      .map(([blockerId, dependsOnId]) => ({ blockerId, dependsOnId })),
    endorsements: [...db.endorsements]
      .map(pair)
      .map(([blockerId, providerId]) => ({ blockerId, providerId })),
  };
}

/** What the service reads for the named ids. */
function patchOf(db: Db, named: Named): RegistryPatch {
  const all = rowsOf(db);
  const b = new Set(named.blockers);
  return {
    blockerIds: named.blockers,
    needIds: named.needs,
    providerIds: named.providers,
    datasetIds: named.datasets,
    rows: {
      providers: all.providers.filter((p) => named.providers.includes(p.id)),
      datasets: all.datasets.filter((d) => named.datasets.includes(d.id)),
      needs: all.needs.filter((n) => named.needs.includes(n.id)),
      blockers: all.blockers.filter((x) => b.has(x.id)),
      links: all.links.filter((l) => b.has(l.blockerId)),
      dependencies: all.dependencies.filter((d) => b.has(d.blockerId) || b.has(d.dependsOnId)),
      endorsements: all.endorsements.filter((e) => b.has(e.blockerId)),
    },
  };
}

type Op = [number, number, number, number];

/** Apply one random change to the database; returns the ids its audit event would name. */
function change(db: Db, [kind, x, y, z]: Op): Named {
  const named: Named = { blockers: [], needs: [], providers: [], datasets: [] };
  const blockers = [...db.blockers.keys()];
  const needs = [...db.needs.keys()];
  const providers = [...db.providers.keys()];
  const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
  const p = (i: number): string => pick(providers, i)!;
  switch (kind % 11) {
    case 0: {
      const id = `b${db.blockers.size + 1}`;
      db.blockers.set(id, {
        id,
        number: db.blockers.size + 1,
        open: true,
        layer: ['LEGAL', 'TECHNICAL'][y % 2],
        ownerId: z % 3 === 0 ? null : p(z),
        reportingProviderId: p(x),
        confidential: x % 4 === 0,
      });
      const need = pick(needs, y);
      if (need) db.links.add(`${id} ${need}`);
      named.blockers.push(id);
      break;
    }
    case 1: {
      const id = pick(blockers, x);
      if (!id) break;
      const b = db.blockers.get(id)!;
      db.blockers.set(id, { ...b, open: !b.open });
      named.blockers.push(id);
      break;
    }
    case 2: {
      const id = pick(blockers, x);
      if (!id) break;
      const b = db.blockers.get(id)!;
      db.blockers.set(id, {
        ...b,
        confidential: y % 2 === 0,
        ownerId: z % 3 === 0 ? null : p(z),
        layer: ['LEGAL', 'TECHNICAL', 'ORGANISATIONAL'][y % 3],
      });
      named.blockers.push(id);
      break;
    }
    case 3:
    case 4: {
      const id = pick(blockers, x);
      const need = pick(needs, y);
      if (!id || !need) break;
      if (kind % 11 === 3) db.links.add(`${id} ${need}`);
      else db.links.delete(`${id} ${need}`);
      named.blockers.push(id);
      break;
    }
    case 5: {
      const a = pick(blockers, x);
      const b = pick(blockers, y);
      if (!a || !b || a === b) break;
      if (z % 2 === 0) db.dependencies.add(`${a} ${b}`);
      else db.dependencies.delete(`${a} ${b}`);
      named.blockers.push(a);
      break;
    }
    case 6: {
      const id = pick(blockers, x);
      if (!id) break;
      if (z % 2 === 0) db.endorsements.add(`${id} ${p(y)}`);
      else db.endorsements.delete(`${id} ${p(y)}`);
      named.blockers.push(id);
      break;
    }
    case 7: {
      const existing = z % 2 === 0 ? pick(needs, x) : undefined;
      const id = existing ?? `n${db.needs.size + 1}`;
      const datasets = [...db.datasets.keys()];
      db.needs.set(id, {
        id,
        requesterId: p(x),
        supplierId: p(y),
        datasetId: z % 3 === 0 ? null : (pick(datasets, z) ?? null),
        withdrawn: y % 5 === 0,
        annualCases: z % 4 === 0 ? null : (x * 7 + y) % 100,
        createdMicros: db.needs.get(id)?.createdMicros ?? (x % 3) * 1000 + (y % 2),
      });
      named.needs.push(id);
      break;
    }
    case 8: {
      // Merge: the duplicate's links and endorsements move to the original; the duplicate closes.
      const dup = pick(blockers, x);
      const original = pick(blockers, y);
      if (!dup || !original || dup === original) break;
      for (const key of [...db.links]) {
        const [b, n] = pair(key);
        if (b !== dup) continue;
        db.links.delete(key);
        db.links.add(`${original} ${n}`);
      }
      for (const key of [...db.endorsements]) {
        const [b, e] = pair(key);
        if (b !== dup) continue;
        db.endorsements.delete(key);
        db.endorsements.add(`${original} ${e}`);
      }
      db.blockers.set(dup, { ...db.blockers.get(dup)!, open: false });
      named.blockers.push(dup, original);
      break;
    }
    case 9: {
      const id = z % 2 === 0 ? p(x) : `p${db.providers.size}`;
      db.providers.set(id, { id, label: `P${x % 5}`, name: `Provider ${y % 5}` });
      named.providers.push(id);
      break;
    }
    case 10: {
      const id = `d${db.datasets.size}`;
      db.datasets.set(id, { id, holderId: p(x), label: `D${y % 5}` });
      named.datasets.push(id);
      break;
    }
  }
  return named;
}

function emptyDb(): Db {
  const db: Db = {
    providers: new Map(),
    datasets: new Map(),
    needs: new Map(),
    blockers: new Map(),
    links: new Set(),
    dependencies: new Set(),
    endorsements: new Set(),
  };
  for (let i = 0; i < PROVIDERS; i++)
    db.providers.set(`p${i}`, { id: `p${i}`, label: `P${i}`, name: `Provider ${i}` });
  return db;
}

const sortedEntries = (map: ReadonlyMap<string, Iterable<string> | number | string>) =>
  [...map]
    .map(([k, v]) => [k, typeof v === 'object' ? [...v].sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));

function normaliseIndex(index: RegistryIndex) {
  return {
    providers: sortedEntries(new Map([...index.providers].map(([k, v]) => [k, JSON.stringify(v)]))),
    datasets: sortedEntries(new Map([...index.datasets].map(([k, v]) => [k, JSON.stringify(v)]))),
    needs: sortedEntries(new Map([...index.needs].map(([k, v]) => [k, JSON.stringify(v)]))),
    blockers: sortedEntries(new Map([...index.blockers].map(([k, v]) => [k, JSON.stringify(v)]))),
    datasetsOfHolder: sortedEntries(index.datasetsOfHolder),
    needsOfProvider: sortedEntries(index.needsOfProvider),
    needsOfDataset: sortedEntries(index.needsOfDataset),
    needsOfBlocker: sortedEntries(index.needsOfBlocker),
    blockersOfNeed: sortedEntries(index.blockersOfNeed),
    blockersOfOwner: sortedEntries(index.blockersOfOwner),
    prerequisites: sortedEntries(index.prerequisites),
    dependents: sortedEntries(index.dependents),
    endorsers: sortedEntries(index.endorsers),
  };
}

function normaliseImpact(graph: ImpactGraph) {
  return {
    open: [...graph.open].sort(),
    prerequisites: sortedEntries(graph.dependencies.prerequisites),
    dependents: sortedEntries(graph.dependencies.dependents),
    openBlockersOfNeed: sortedEntries(graph.openBlockersOfNeed),
    needsOfBlocker: sortedEntries(graph.needsOfBlocker),
    annualCases: sortedEntries(graph.annualCases),
    requesterOf: sortedEntries(graph.requesterOf),
    blockedNeedsOfRequester: sortedEntries(graph.blockedNeedsOfRequester),
  };
}

const globalId = (type: string, id: string): string => `${type}:${id}`;

/** The blocker graph as the whole-registry computation builds it from the rows (blocker weights 0). */
function referenceGraph(rows: RegistryRows, shows: (b: BlockerRow) => boolean, openOnly: boolean) {
  const open = new Set(rows.blockers.filter((b) => b.open).map((b) => b.id));
  const needById = new Map(rows.needs.map((n) => [n.id, n]));
  const touching = new Map<string, Set<string>>();
  const touch = (id: string | null, b: string): void => {
    if (id !== null) touching.set(id, new Set([...(touching.get(id) ?? []), b]));
  };
  const blocked = new Set<string>();
  for (const l of rows.links) {
    const need = needById.get(l.needId);
    if (!open.has(l.blockerId) || !need) continue;
    blocked.add(need.id);
    touch(need.requesterId, l.blockerId);
    touch(need.supplierId, l.blockerId);
    touch(need.datasetId, l.blockerId);
  }
  for (const b of rows.blockers) if (open.has(b.id)) touch(b.ownerId, b.id);
  const weight = (id: string): number => touching.get(id)?.size ?? 0;
  return buildBlockerGraph({
    providers: rows.providers.map((p) => ({
      id: globalId('Provider', p.id),
      label: p.label,
      weight: weight(p.id),
    })),
    datasets: rows.datasets.map((d) => ({
      id: globalId('Dataset', d.id),
      holderId: globalId('Provider', d.holderId),
      label: d.label,
      weight: weight(d.id),
    })),
    needs: rows.needs
      .filter((n) => !openOnly || !n.withdrawn)
      .map((n) => ({
        id: globalId('DataNeed', n.id),
        requesterId: globalId('Provider', n.requesterId),
        supplierId: globalId('Provider', n.supplierId),
        blocked: blocked.has(n.id),
      })),
    blockers: rows.blockers.filter(shows).map((b) => ({
      id: globalId('Blocker', b.id),
      label: `KNP-${b.number}`,
      weight: 0,
      open: open.has(b.id),
    })),
    links: rows.links.map((l) => ({
      blockerId: globalId('Blocker', l.blockerId),
      needId: globalId('DataNeed', l.needId),
    })),
    dependencies: rows.dependencies.map((d) => ({
      blockerId: globalId('Blocker', d.blockerId),
      dependsOnId: globalId('Blocker', d.dependsOnId),
    })),
  });
}

const op: fc.Arbitrary<Op> = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());
/** Changes in batches: one batch is what one catch-up applies. */
const batches = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 });

/** Apply one batch of changes to the database; the patch its events would cause. */
function applyBatch(db: Db, batch: Op[]): RegistryPatch {
  const named: Named = { blockers: [], needs: [], providers: [], datasets: [] };
  for (const o of batch) {
    const n = change(db, o);
    named.blockers.push(...n.blockers);
    named.needs.push(...n.needs);
    named.providers.push(...n.providers);
    named.datasets.push(...n.datasets);
  }
  return patchOf(db, named);
}

/** A confidential blocker is shown only to a viewer among the providers its needs affect (here p0). */
const showsTo =
  (index: RegistryIndex, openOnly: boolean) =>
  (b: BlockerRow): boolean =>
    (!b.confidential || index.affectedProvidersOf(b.id).has('p0')) && (!openOnly || b.open);

describe('RegistryIndex kept current by patches', () => {
  it('equals a fresh load after any sequence of changes, rows and ImpactGraph alike', () => {
    fc.assert(
      fc.property(batches, (changes) => {
        const db = emptyDb();
        const index = RegistryIndex.load(rowsOf(db));
        for (const batch of changes) index.apply(applyBatch(db, batch));
        const rows = rowsOf(db);
        const fresh = RegistryIndex.load(rows);
        expect(normaliseIndex(index)).toEqual(normaliseIndex(fresh));
        const built = buildImpactGraph({
          openBlockers: rows.blockers.filter((b) => b.open).map((b) => b.id),
          links: rows.links,
          dependencies: rows.dependencies,
          needs: rows.needs,
        });
        expect(normaliseImpact(index.impactGraph)).toEqual(normaliseImpact(built));
      }),
      { numRuns: 300 },
    );
  });

  it('its graph view answers every neighbourhood as the built graph does', () => {
    fc.assert(
      fc.property(
        batches,
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 20 }),
        (changes, openOnly, focus, depth, limit, edgeLimit) => {
          const db = emptyDb();
          const index = RegistryIndex.load(rowsOf(db));
          for (const batch of changes) index.apply(applyBatch(db, batch));
          const rows = rowsOf(db);
          // A viewer who sees only what is not confidential, open blockers when openOnly.
          const shows = (b: BlockerRow): boolean => !b.confidential && (!openOnly || b.open);
          const view = new RegistryGraphView(index, {
            openOnly,
            shows: (id) => shows(index.blockers.get(id)!),
            globalId,
          });
          const graph = referenceGraph(rows, shows, openOnly);
          const candidates: Array<[GraphNodeKind, string] | null> = [
            null,
            ...rows.providers.map((p) => [GraphNodeKind.PROVIDER, p.id] as [GraphNodeKind, string]),
            ...rows.datasets.map((d) => [GraphNodeKind.DATASET, d.id] as [GraphNodeKind, string]),
            ...rows.blockers.map((b) => [GraphNodeKind.BLOCKER, b.id] as [GraphNodeKind, string]),
          ];
          const chosen = candidates[focus % candidates.length];
          const focusId = chosen ? view.focus(chosen[0], chosen[1]) : null;
          const query = { focusId, depth, limit, edgeLimit };
          expect(neighbourhoodOf(view, query)).toEqual(neighbourhood(graph, query));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a graph view kept across patches answers as a fresh view and as the built graph do', () => {
    fc.assert(
      fc.property(
        batches,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (changes, openOnly, queries) => {
          const db = emptyDb();
          const index = RegistryIndex.load(rowsOf(db));
          const shows = showsTo(index, openOnly);
          const viewOf = (): RegistryGraphView =>
            new RegistryGraphView(index, {
              openOnly,
              shows: (id) => shows(index.blockers.get(id)!),
              globalId,
            });
          const kept = viewOf();
          for (const batch of changes) {
            index.apply(applyBatch(db, batch));
            expect(kept.catchUp()).toBe(true);
            const rows = rowsOf(db);
            const graph = referenceGraph(rows, shows, openOnly);
            const fresh = viewOf();
            const candidates: Array<[GraphNodeKind, string] | null> = [
              null,
              ...rows.providers.map((p) => [GraphNodeKind.PROVIDER, p.id] as [GraphNodeKind, string]),
              ...rows.datasets.map((d) => [GraphNodeKind.DATASET, d.id] as [GraphNodeKind, string]),
              ...rows.blockers.map((b) => [GraphNodeKind.BLOCKER, b.id] as [GraphNodeKind, string]),
            ];
            // Every query after every batch, so that the kept view has remembered what a later patch changes.
            for (const [focus, depth, limit] of queries) {
              const chosen = candidates[focus % candidates.length];
              const focusId = chosen ? kept.focus(chosen[0], chosen[1]) : null;
              if (chosen) fresh.focus(chosen[0], chosen[1]);
              const query = { focusId, depth, limit, edgeLimit: 20 };
              const answer = neighbourhoodOf(kept, query);
              expect(answer).toEqual(neighbourhoodOf(fresh, query));
              expect(answer).toEqual(neighbourhood(graph, query));
              // The remembered answer, asked after the patch (the view forgets older ones) and again.
              expect(kept.neighbourhood(query)).toEqual(answer);
              expect(kept.neighbourhood(query)).toEqual(answer);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a ranking kept across patches equals one made afresh, for every measure', () => {
    fc.assert(
      fc.property(batches, (changes) => {
        const db = emptyDb();
        const index = RegistryIndex.load(rowsOf(db));
        const measures = Object.values(ImpactMeasure);
        const kept = measures.map((by) => Ranking.of(index, by));
        for (const batch of changes) {
          index.apply(applyBatch(db, batch));
          const fresh = RegistryIndex.load(rowsOf(db));
          measures.forEach((by, i) => {
            expect(kept[i].catchUp()).toBe(true);
            const all = (r: Ranking) => r.visibleFirst(Number.MAX_SAFE_INTEGER, () => true);
            expect(all(kept[i])).toEqual(all(Ranking.of(fresh, by)));
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('caches older than the change log are made afresh', () => {
    const db = emptyDb();
    const index = RegistryIndex.load(rowsOf(db));
    const ranking = Ranking.of(index, ImpactMeasure.NEEDS_UNBLOCKED);
    for (let i = 0; i < 65; i++) index.apply(applyBatch(db, [[0, i, i, i]]));
    expect(index.changesSince(0)).toBeNull();
    expect(ranking.catchUp()).toBe(false);
    expect(index.changesSince(index.version - 1)).not.toBeNull();
  });
});
