/**
 * whatIf and criticalBlockers against a brute force written from the brief's definitions alone, on
 * generated registries (with cycles, closed blockers, shared needs and needs without cases).
 */
import fc from 'fast-check';
import { buildImpactGraph, criticalBlockers, ImpactMeasure, whatIf } from './impact';

interface Generated {
  blockers: Array<{ id: string; number: number; open: boolean }>;
  needs: Array<{ id: string; requesterId: string; annualCases: number | null }>;
  links: Array<{ blockerId: string; needId: string }>;
  dependencies: Array<{ blockerId: string; dependsOnId: string }>;
}

const registry: fc.Arbitrary<Generated> = fc
  .record({
    providers: fc.integer({ min: 1, max: 5 }),
    blockers: fc.array(fc.boolean(), { minLength: 0, maxLength: 10 }),
    needs: fc.array(fc.tuple(fc.nat(), fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null })), {
      minLength: 0,
      maxLength: 12,
    }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
    dependencies: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 }),
  })
  .map(({ providers, blockers, needs, links, dependencies }) => {
    const bs = blockers.map((open, i) => ({ id: `b${i + 1}`, number: i + 1, open }));
    const ns = needs.map(([requester, annualCases], i) => ({
      id: `n${i + 1}`,
      requesterId: `p${requester % providers}`,
      annualCases,
    }));
    return {
      blockers: bs,
      needs: ns,
      links:
        bs.length && ns.length
          ? links.map(([b, n]) => ({ blockerId: bs[b % bs.length].id, needId: ns[n % ns.length].id }))
          : [],
      dependencies:
        bs.length > 1
          ? dependencies
              .map(([a, b]) => ({ blockerId: bs[a % bs.length].id, dependsOnId: bs[b % bs.length].id }))
              .filter((d) => d.blockerId !== d.dependsOnId)
          : [],
    };
  });

/** The brute force: sets and a reachability matrix, nothing shared with the implementation. */
function reference(r: Generated) {
  const open = new Set(r.blockers.filter((b) => b.open).map((b) => b.id));
  const openOf = (needId: string): Set<string> =>
    new Set(r.links.filter((l) => l.needId === needId && open.has(l.blockerId)).map((l) => l.blockerId));
  const blocked = r.needs.filter((n) => openOf(n.id).size > 0);
  const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((x) => b.has(x));

  // reach[x][y]: open x waits on open y through a chain of open blockers (Warshall).
  const ids = [...open];
  const reach = new Map(ids.map((x) => [x, new Set<string>()]));
  for (const d of r.dependencies) {
    if (open.has(d.blockerId) && open.has(d.dependsOnId)) reach.get(d.blockerId)!.add(d.dependsOnId);
  }
  for (const k of ids)
    for (const i of ids) if (reach.get(i)!.has(k)) for (const j of reach.get(k)!) reach.get(i)!.add(j);
  const pre = (b: string): Set<string> => {
    const set = new Set(reach.get(b) ?? []);
    set.delete(b);
    return set;
  };

  const freedBy = (resolved: Set<string>) => blocked.filter((n) => subset(openOf(n.id), resolved));
  const fullyFreed = (freed: typeof blocked): string[] => {
    const freedIds = new Set(freed.map((n) => n.id));
    const requesters = new Set(blocked.map((n) => n.requesterId));
    return [...requesters].filter((p) =>
      blocked.filter((n) => n.requesterId === p).every((n) => freedIds.has(n.id)),
    );
  };
  const people = (needs: typeof blocked): number => needs.reduce((s, n) => s + (n.annualCases ?? 0), 0);

  return {
    whatIf(resolve: string[]) {
      const set = new Set(resolve);
      const freed = freedBy(set);
      return {
        needsUnblocked: freed.map((n) => n.id).sort(),
        needsStillBlocked: blocked.length - freed.length,
        peopleReached: people(freed),
        providersFullyUnblocked: fullyFreed(freed).sort(),
        blockedByPrerequisites: [...set]
          .filter(
            (b) =>
              open.has(b) &&
              r.dependencies.some(
                (d) => d.blockerId === b && open.has(d.dependsOnId) && !set.has(d.dependsOnId),
              ),
          )
          .sort(),
      };
    },
    score(b: string) {
      const freed = freedBy(new Set([b, ...pre(b)]));
      return {
        needsUnblocked: freed.length,
        peopleReached: people(freed),
        providersUnblocked: fullyFreed(freed).length,
      };
    },
    open,
  };
}

const graphOf = (r: Generated) =>
  buildImpactGraph({
    openBlockers: r.blockers.filter((b) => b.open).map((b) => b.id),
    links: r.links,
    dependencies: r.dependencies,
    needs: r.needs,
  });

describe('impact against a brute force on generated registries', () => {
  it('whatIf resolves exactly the given set', () => {
    fc.assert(
      fc.property(
        registry.chain((r) => fc.tuple(fc.constant(r), fc.subarray(r.blockers.map((b) => b.id)))),
        ([r, resolve]) => {
          const actual = whatIf(graphOf(r), resolve);
          expect({
            ...actual,
            needsUnblocked: [...actual.needsUnblocked].sort(),
            providersFullyUnblocked: [...actual.providersFullyUnblocked].sort(),
            blockedByPrerequisites: [...actual.blockedByPrerequisites].sort(),
          }).toEqual(reference(r).whatIf(resolve));
        },
      ),
      { numRuns: 400, seed: 20261129 },
    );
  });

  it.each(Object.values(ImpactMeasure))('criticalBlockers ranks every open blocker by %s', (by) => {
    fc.assert(
      fc.property(registry, fc.integer({ min: 1, max: 12 }), (r, first) => {
        const ref = reference(r);
        const measure = (s: ReturnType<typeof ref.score>): number =>
          by === ImpactMeasure.NEEDS_UNBLOCKED
            ? s.needsUnblocked
            : by === ImpactMeasure.PEOPLE_REACHED
              ? s.peopleReached
              : s.providersUnblocked;
        const expected = r.blockers
          .filter((b) => ref.open.has(b.id))
          .map((b) => ({ blockerId: b.id, number: b.number, ...ref.score(b.id) }))
          .sort((a, b) => measure(b) - measure(a) || a.number - b.number)
          .slice(0, first)
          .map(({ number: _number, ...score }) => score);
        const numberOf = new Map(r.blockers.map((b) => [b.id, b.number]));
        const candidates = r.blockers.map((b) => b.id).reverse();
        expect(criticalBlockers(graphOf(r), candidates, by, first, (id) => numberOf.get(id)!)).toEqual(
          expected,
        );
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
