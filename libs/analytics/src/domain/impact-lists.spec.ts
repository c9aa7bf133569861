/**
 * impactLists answers blockerImpact from the index as the statements it replaces did: the blocker's
 * needs ordered by created_at (microseconds) and id, their requesters, suppliers and the endorsers
 * ordered by name and id, the needs freed by resolving it ordered by creation time as a Date holds it
 * (milliseconds) and id, and the visible prerequisites and dependents by number.
 */
import fc from 'fast-check';
import { blockerImpact, buildImpactGraph } from './impact';
import { impactLists } from './impact-lists';
import { BlockerRow, NeedRow, ProviderRow, RegistryIndex, RegistryRows } from './registry-index';

const ids = (rows: ReadonlyArray<{ id: string }>): string[] => rows.map((r) => r.id);
const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A registry of random rows: few distinct creation times (ties within a millisecond and across). */
const registries = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.nat({ max: 1000 })), fc.nat({ max: 5 })), {
      maxLength: 40,
    }),
    fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 15 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 }),
  )
  .map(([needs, blockers, links, dependencies, endorsements]): RegistryRows => {
    const providers: ProviderRow[] = ['Zwolle', 'Almere', 'almere', 'Ede', 'Épe', 'Assen'].map((name, i) => ({
      id: `p${(i * 7) % 6}`,
      label: name.slice(0, 2),
      name,
    }));
    const p = (i: number): string => providers[i % providers.length].id;
    const needRows: NeedRow[] = needs.map(([r, s, annualCases, t], i) => ({
      id: `n${(i * 13) % 41}`.padEnd(4, 'x'),
      requesterId: p(r),
      supplierId: p(s),
      datasetId: null,
      withdrawn: false,
      annualCases,
      // 1 000 000, 1 000 500 and 1 000 999 µs fall in the same millisecond.
      createdMicros: [1_000_000, 1_000_500, 1_000_999, 1_001_000, 2_000_000, 1_000_500][t],
    }));
    const blockerRows: BlockerRow[] = blockers.map(([open, confidential], i) => ({
      id: `b${(i * 5) % 16}`,
      number: i + 1,
      open,
      layer: 'LEGAL',
      ownerId: null,
      reportingProviderId: p(i),
      confidential,
    }));
    const pick = <T>(list: T[], i: number): T | undefined =>
      list.length ? list[i % list.length] : undefined;
    const pairs = <T>(list: Array<[number, number]>, make: (a: number, b: number) => T | null): T[] => {
      const seen = new Set<string>();
      return list.flatMap(([a, b]) => {
        const row = make(a, b);
        if (row === null || seen.has(JSON.stringify(row))) return [];
        seen.add(JSON.stringify(row));
        return [row];
      });
    };
    return {
      providers,
      datasets: [],
      needs: needRows,
      blockers: blockerRows,
      links: pairs(links, (b, n) => {
        const blocker = pick(blockerRows, b);
        const need = pick(needRows, n);
        return blocker && need ? { blockerId: blocker.id, needId: need.id } : null;
      }),
      dependencies: pairs(dependencies, (a, b) => {
        const x = pick(blockerRows, a);
        const y = pick(blockerRows, b);
        return x && y && x.number < y.number ? { blockerId: y.id, dependsOnId: x.id } : null;
      }),
      endorsements: pairs(endorsements, (b, e) => {
        const blocker = pick(blockerRows, b);
        return blocker ? { blockerId: blocker.id, providerId: p(e) } : null;
      }),
    };
  });

describe('impactLists', () => {
  it('answers as the statements did, for every blocker and any visibility', () => {
    fc.assert(
      fc.property(registries, fc.func(fc.boolean()), (rows, hidden) => {
        const index = RegistryIndex.load(rows);
        const visible = (id: string): boolean => !hidden(id);
        const need = new Map(rows.needs.map((n) => [n.id, n]));
        const blocker = new Map(rows.blockers.map((b) => [b.id, b]));
        const provider = new Map(rows.providers.map((p) => [p.id, p]));
        const graph = buildImpactGraph({
          openBlockers: ids(rows.blockers.filter((b) => b.open)),
          links: rows.links,
          dependencies: rows.dependencies,
          needs: rows.needs,
        });
        for (const b of rows.blockers) {
          const linked = rows.links.filter((l) => l.blockerId === b.id).map((l) => need.get(l.needId)!);
          const affected = [...linked].sort((x, y) => x.createdMicros - y.createdMicros || text(x.id, y.id));
          const providerIds = new Set([
            ...linked.flatMap((n) => [n.requesterId, n.supplierId]),
            ...rows.endorsements.filter((e) => e.blockerId === b.id).map((e) => e.providerId),
          ]);
          const providers = [...providerIds]
            .map((id) => provider.get(id)!)
            .sort((x, y) => x.name.localeCompare(y.name) || text(x.id, y.id));
          const ms = (n: NeedRow): number => new Date(Math.floor(n.createdMicros / 1000)).getTime();
          const ref = blockerImpact(graph, b.id);
          const freed = ref.unblockedIfResolved
            .map((id) => need.get(id)!)
            .sort((x, y) => ms(x) - ms(y) || text(x.id, y.id));
          const listed = (list: string[]): string[] =>
            list
              .filter(visible)
              .map((id) => blocker.get(id)!)
              .sort((x, y) => x.number - y.number)
              .map((x) => x.id);

          const lists = impactLists(index, b.id, visible)!;
          expect(lists.blocker).toEqual(b);
          expect(ids(lists.affectedNeeds)).toEqual(ids(affected));
          expect(ids(lists.affectedProviders)).toEqual(ids(providers));
          expect(lists.peopleAffectedPerYear).toBe(linked.reduce((s, n) => s + (n.annualCases ?? 0), 0));
          expect(ids(lists.unblockedIfResolved)).toEqual(ids(freed));
          expect(ids(lists.prerequisites)).toEqual(listed(ref.prerequisites));
          expect(ids(lists.dependents)).toEqual(listed(ref.dependents));
        }
        expect(impactLists(index, 'unknown', visible)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
