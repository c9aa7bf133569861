/**
 * countsAfterReport (a report brings stored counts forward) against priorityCounts over the registry
 * after the report (counted in full), for every existing blocker, on hand-made and generated registries
 * (closed blockers, dependency chains and cycles, shared needs, needs without blockers).
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_WEIGHTS } from '@app/config/app-config';
import { buildGraph } from './graph';
import { computePriority } from './priority';
import { countsAfterReport, NeedLink, PriorityCounts, priorityCounts, storedCounts } from './priority-inputs';
import { Severity } from './taxonomy';

interface Registry {
  blockers: Array<{ id: string; open: boolean }>;
  needs: Array<{ id: string; annualCases: number | null; requesterId: string; supplierId: string }>;
  links: Array<{ blockerId: string; needId: string }>;
  edges: Array<{ blockerId: string; dependsOnId: string }>;
}

const NEW = 'x';

/** Every blocker's counts, in full. */
function countAll(r: Registry): Map<string, PriorityCounts> {
  const open = new Set(r.blockers.filter((b) => b.open).map((b) => b.id));
  const graph = buildGraph(r.edges, (id) => open.has(id));
  const needById = new Map(r.needs.map((n) => [n.id, n]));
  const linksOf = (id: string): NeedLink[] =>
    r.links
      .filter((l) => l.blockerId === id)
      .map((l) => {
        const n = needById.get(l.needId)!;
        return {
          needId: n.id,
          annualCases: n.annualCases,
          requesterId: n.requesterId,
          supplierId: n.supplierId,
        };
      });
  const openOf = (needId: string): string[] =>
    r.links.filter((l) => l.needId === needId && open.has(l.blockerId)).map((l) => l.blockerId);
  return new Map(r.blockers.map((b) => [b.id, priorityCounts(graph, b.id, linksOf, openOf)]));
}

/** The registry after a report of the open blocker NEW on `needs`. */
const withReport = (r: Registry, needs: string[]): Registry => ({
  ...r,
  blockers: [...r.blockers, { id: NEW, open: true }],
  links: [...r.links, ...needs.map((needId) => ({ blockerId: NEW, needId }))],
});

/** Each existing blocker's counts brought forward by countsAfterReport, beside the full count after. */
function compare(
  r: Registry,
  reported: string[],
): { forward: Map<string, PriorityCounts>; full: Map<string, PriorityCounts> } {
  const before = countAll(r);
  const full = countAll(withReport(r, reported));
  const open = new Set(r.blockers.filter((b) => b.open).map((b) => b.id));
  const graph = buildGraph(r.edges, (id) => open.has(id));
  const openOf = (needId: string): string[] =>
    r.links.filter((l) => l.needId === needId && open.has(l.blockerId)).map((l) => l.blockerId);
  const forward = new Map(
    r.blockers.map((b) => [b.id, countsAfterReport(graph, b.id, before.get(b.id)!, reported, openOf)]),
  );
  full.delete(NEW);
  return { forward, full };
}

const need = (id: string, annualCases: number | null = 100) => ({
  id,
  annualCases,
  requesterId: `r-${id}`,
  supplierId: 's',
});

describe('countsAfterReport', () => {
  it('takes a need a blocker alone held up away from it', () => {
    const r: Registry = {
      blockers: [{ id: 'y', open: true }],
      needs: [need('n1'), need('n2')],
      links: [
        { blockerId: 'y', needId: 'n1' },
        { blockerId: 'y', needId: 'n2' },
      ],
      edges: [],
    };
    const { forward, full } = compare(r, ['n1']);
    expect(forward.get('y')!.needsUnblocked).toBe(1);
    expect(forward).toEqual(full);
  });

  it('takes a need away from every blocker whose resolution (with its prerequisites) freed it', () => {
    // y waits on z (open), z alone blocks n2; c (closed) waits on z too; w waits on y.
    const r: Registry = {
      blockers: [
        { id: 'y', open: true },
        { id: 'z', open: true },
        { id: 'c', open: false },
        { id: 'w', open: true },
      ],
      needs: [need('n1'), need('n2'), need('n3', null)],
      links: [
        { blockerId: 'y', needId: 'n1' },
        { blockerId: 'z', needId: 'n2' },
        { blockerId: 'c', needId: 'n3' },
        { blockerId: 'w', needId: 'n3' },
      ],
      edges: [
        { blockerId: 'y', dependsOnId: 'z' },
        { blockerId: 'c', dependsOnId: 'z' },
        { blockerId: 'w', dependsOnId: 'y' },
      ],
    };
    const before = countAll(r);
    const { forward, full } = compare(r, ['n2', 'n3']);
    expect(forward).toEqual(full);
    for (const id of ['y', 'z', 'c'])
      expect(forward.get(id)!.needsUnblocked).toBe(before.get(id)!.needsUnblocked - 1);
    // w: n3 (freed by w alone) and n2 (through y and z) are both held up now.
    expect(forward.get('w')!.needsUnblocked).toBe(before.get('w')!.needsUnblocked - 2);
  });

  it('changes nothing for needs that other open blockers already held up, or that had none', () => {
    const r: Registry = {
      blockers: [
        { id: 'a', open: true },
        { id: 'b', open: true },
      ],
      needs: [need('n1'), need('n2')],
      links: [
        { blockerId: 'a', needId: 'n1' },
        { blockerId: 'b', needId: 'n1' },
      ],
      edges: [],
    };
    const { forward, full } = compare(r, ['n1', 'n2']);
    expect(forward).toEqual(full);
    expect(forward).toEqual(countAll(r));
  });

  it('equals a full count for every blocker of generated registries, and so do the scores', () => {
    const registry = fc
      .record({
        blockers: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        needs: fc.array(fc.tuple(fc.nat(3), fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null })), {
          minLength: 1,
          maxLength: 8,
        }),
        links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 25 }),
        edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 14 }),
        reported: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 4 }),
        acyclic: fc.boolean(),
      })
      .map(({ blockers, needs, links, edges, reported, acyclic }) => {
        const bs = blockers.map((open, i) => ({ id: `b${i}`, open }));
        const ns = needs.map(([requester, annualCases], i) => ({
          id: `n${i}`,
          annualCases,
          requesterId: `p${requester}`,
          supplierId: `p${(requester + i) % 4}`,
        }));
        const linkKeys = new Set(links.map(([b, n]) => `${b % bs.length}:${n % ns.length}`));
        const edgeKeys = new Set(
          edges
            .map(([a, b]) => [a % bs.length, b % bs.length])
            .filter(([a, b]) => a !== b && (!acyclic || b < a))
            .map(([a, b]) => `${a}:${b}`),
        );
        const r: Registry = {
          blockers: bs,
          needs: ns,
          links: [...linkKeys]
            .map((k) => k.split(':').map(Number))
            .map(([b, n]) => ({ blockerId: bs[b].id, needId: ns[n].id })),
          edges: [...edgeKeys]
            .map((k) => k.split(':').map(Number))
            .map(([a, b]) => ({ blockerId: bs[a].id, dependsOnId: bs[b].id })),
        };
        return { r, reported: [...new Set(reported.map((n) => ns[n % ns.length].id))] };
      });
    const today = new Date('2026-06-01T00:00:00Z');
    const score = (c: PriorityCounts) =>
      computePriority(
        {
          severity: Severity.HIGH,
          peopleAffectedPerYear: null,
          manualHoursPerYear: 40,
          endorsements: 1,
          targetDate: null,
          effort: null,
          ...c,
        },
        DEFAULT_PRIORITY_WEIGHTS,
        today,
      );
    fc.assert(
      fc.property(registry, ({ r, reported }) => {
        const { forward, full } = compare(r, reported);
        expect(forward).toEqual(full);
        for (const [id, c] of forward) expect(score(c)).toEqual(score(full.get(id)!));
      }),
      { numRuns: 500 },
    );
  });
});

describe('storedCounts', () => {
  it('reads complete counts and refuses anything else', () => {
    const c = { affectedNeedsAnnualCases: 5, affectedProviders: 2, needsUnblocked: 0, openDependents: 1 };
    expect(storedCounts(c)).toEqual(c);
    expect(storedCounts(null)).toBeNull();
    expect(storedCounts({ ...c, needsUnblocked: undefined })).toBeNull();
    expect(storedCounts({ ...c, openDependents: '1' })).toBeNull();
  });
});
