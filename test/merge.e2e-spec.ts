/**
 * DUPLICATE merges (brief, "Workflow"): the duplicate's affected needs and endorsements move to the
 * original without double counting, both blockers show the link, the original's priority score is
 * recomputed from what it gained, and both carry an audit event. Dependencies move too: what waited on
 * the duplicate waits on the original, and what the duplicate waited on the original now waits on,
 * unless that would close a cycle.
 */
import { BlockerView, Fixtures } from './support/blockers';
import { needIds, oinOf, providerIds } from './support/demo';
import { TestServer, token } from './support/server';

/** The brief's default weights and effort divisors. */
const WEIGHTS: Record<string, number> = {
  severity: 0.2,
  people: 0.25,
  work: 0.1,
  reach: 0.15,
  unblocks: 0.15,
  dependents: 0.1,
  urgency: 0.05,
};
const DIVISOR: Record<string, number> = { XS: 1, S: 1.2, M: 1.5, L: 2, XL: 3 };
const SEVERITY: Record<string, number> = { CRITICAL: 1, HIGH: 0.7, MEDIUM: 0.4, LOW: 0.15 };

const FULL = `
  query Full($id: ID!) {
    blocker(id: $id) {
      id key status version severity effort
      impact { peopleAffectedPerYear manualHoursPerYear }
      affectedNeeds(first: 100) {
        totalCount
        nodes { id state annualCases requester { id } supplier { id } blockers(open: true) { id } }
      }
      affectedProviders { id }
      endorsements { provider { id } user { subject } note }
      duplicateOf { id }
      duplicates { id }
      dependsOn { id }
      dependents { id }
      priority { score factors { name value weight contribution } }
      history(first: 50) {
        totalCount
        nodes { action reason actor { subject } changes { field from to } }
      }
    }
  }`;

const ADD_DEPENDENCY = `
  mutation Add($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }`;

const ENDORSE = `
  mutation Endorse($input: EndorseBlockerInput!) {
    endorseBlocker(input: $input) { id version endorsements { provider { id } } }
  }`;

interface Need {
  id: string;
  state: string;
  annualCases: number | null;
  requester: { id: string };
  supplier: { id: string };
  blockers: Array<{ id: string }>;
}

interface Full {
  id: string;
  key: string;
  status: string;
  version: number;
  severity: string;
  effort: string | null;
  impact: { peopleAffectedPerYear: number | null; manualHoursPerYear: number | null };
  affectedNeeds: { totalCount: number; nodes: Need[] };
  affectedProviders: Array<{ id: string }>;
  endorsements: Array<{ provider: { id: string }; user: { subject: string } | null; note: string | null }>;
  duplicateOf: { id: string } | null;
  duplicates: Array<{ id: string }>;
  dependsOn: Array<{ id: string }>;
  dependents: Array<{ id: string }>;
  priority: {
    score: number;
    factors: Array<{ name: string; value: number; weight: number; contribution: number }>;
  };
  history: {
    totalCount: number;
    nodes: Array<{
      action: string;
      reason: string | null;
      actor: { subject: string } | null;
      changes: Array<{ field: string; from: unknown; to: unknown }>;
    }>;
  };
}

/**
 * The priority factors as the brief defines them, computed from what the API shows. Valid for a
 * blocker without dependencies and without a target date (as the ones here).
 */
function expectedPriority(b: Full): { factors: Record<string, number>; score: number } {
  expect(b.dependsOn).toEqual([]);
  expect(b.dependents).toEqual([]);
  const needs = b.affectedNeeds.nodes;
  const people = b.impact.peopleAffectedPerYear ?? needs.reduce((sum, n) => sum + (n.annualCases ?? 0), 0);
  const providers = new Set(needs.flatMap((n) => [n.requester.id, n.supplier.id]));
  // Needs with no open blocker left but this one.
  const freed = needs.filter((n) => n.blockers.every((x) => x.id === b.id)).length;
  const factors: Record<string, number> = {
    severity: SEVERITY[b.severity],
    people: Math.min(1, Math.log10(1 + people) / 6),
    work: Math.min(1, Math.log10(1 + (b.impact.manualHoursPerYear ?? 0)) / 5),
    reach: Math.min(1, (providers.size + b.endorsements.length) / 10),
    unblocks: Math.min(1, freed / 10),
    dependents: 0,
    urgency: 0,
  };
  const costOfDelay = Object.entries(factors).reduce((sum, [name, value]) => sum + WEIGHTS[name] * value, 0);
  return { factors, score: (100 * costOfDelay) / (b.effort ? DIVISOR[b.effort] : 1.5) };
}

function expectPriorityMatches(b: Full): void {
  const want = expectedPriority(b);
  const got = Object.fromEntries(b.priority.factors.map((f) => [f.name, f]));
  expect(Object.keys(got).sort()).toEqual(Object.keys(WEIGHTS).sort());
  for (const [name, value] of Object.entries(want.factors)) {
    expect({ name, value: got[name].value }).toEqual({ name, value: expect.closeTo(value, 4) });
    expect({ name, weight: got[name].weight }).toEqual({ name, weight: WEIGHTS[name] });
  }
  expect(b.priority.score).toBeCloseTo(want.score, 2);
}

const ids = (list: Array<{ id: string }>): string[] => list.map((x) => x.id).sort();
const endorsers = (b: Full): string[] => b.endorsements.map((e) => e.provider.id).sort();
const factor = (b: Full, name: string): number => b.priority.factors.find((f) => f.name === name)!.value;

describe('DUPLICATE merges', () => {
  let server: TestServer;
  let f: Fixtures;
  let steering: string;
  let p: Record<string, string>;
  let n: Record<string, string>;
  const steward = (key: string): string => token('STEWARD', { sub: `merge-steward-${key}`, org: oinOf(key) });

  const full = async (id: string): Promise<Full> =>
    (await server.ok<{ blocker: Full }>(FULL, { id }, steering)).blocker;

  const endorse = async (blockerId: string, key: string, note: string): Promise<void> => {
    await server.ok(ENDORSE, { input: { blockerId, note } }, steward(key));
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    steering = token('STEERING', { sub: 'merge-steering' });
    p = await providerIds(server, steering);
    n = await needIds(server, steering);
    f = new Fixtures(server, {
      steering,
      reporter: steward('SVB'),
      needIds: [n.N1, n.N2],
      ownerId: null,
    });
  });

  afterAll(async () => server?.stop());

  describe('a duplicate with a shared need, a new need and overlapping endorsements', () => {
    let original: BlockerView;
    let duplicate: BlockerView;
    let before: { original: Full; duplicate: Full; n9: Need };
    let after: { original: Full; duplicate: Full };

    beforeAll(async () => {
      // The original: reported by SVB on N1 (SVB <- UWV) and N2 (SVB <- BD), endorsed by CJIB.
      original = await f.blockerIn('TRIAGED', {
        needIds: [n.N1, n.N2],
        title: 'Polisgegevens niet beschikbaar voor AIO',
        extra: { severity: 'HIGH', effort: 'M' },
      });
      await endorse(original.id, 'CJIB', 'CJIB op het origineel');
      // The duplicate: reported by UWV on N1 (shared) and N9 (UTRECHT <- UWV), endorsed by CJIB (who
      // endorses the original already), SVB (the original's reporting provider) and DUO (new).
      const reported = await server.ok<any>(
        `mutation($input: ReportBlockerInput!) {
           reportBlocker(input: $input) { blocker { id } possibleDuplicates { id } }
         }`,
        {
          input: {
            title: 'Polisadministratie niet ontsloten',
            description: 'Same problem, reported again by the supplier',
            type: 'NO_INTERFACE',
            severity: 'MEDIUM',
            affectedNeedIds: [n.N1, n.N9],
          },
        },
        steward('UWV'),
      );
      // Same need and same layer: the server offers the original as a possible duplicate.
      expect(ids(reported.reportBlocker.possibleDuplicates)).toContain(original.id);
      duplicate = await f.get(reported.reportBlocker.blocker.id);
      duplicate = await f.move(duplicate, 'TRIAGED');
      duplicate = await f.move(duplicate, 'PRIORITISED');
      await endorse(duplicate.id, 'CJIB', 'CJIB op het duplicaat');
      await endorse(duplicate.id, 'SVB', 'SVB op het duplicaat');
      await endorse(duplicate.id, 'DUO', 'DUO op het duplicaat');
      duplicate = await f.get(duplicate.id);

      const [o, d] = await Promise.all([full(original.id), full(duplicate.id)]);
      before = { original: o, duplicate: d, n9: d.affectedNeeds.nodes.find((x) => x.id === n.N9)! };

      const merged = await f.move(duplicate, 'DUPLICATE', { duplicateOfId: original.id });
      expect(merged.status).toBe('DUPLICATE');
      const [o2, d2] = await Promise.all([full(original.id), full(duplicate.id)]);
      after = { original: o2, duplicate: d2 };
    });

    it('starts from what was set up', () => {
      expect(ids(before.original.affectedNeeds.nodes)).toEqual([n.N1, n.N2].sort());
      expect(endorsers(before.original)).toEqual([p.CJIB]);
      expect(ids(before.duplicate.affectedNeeds.nodes)).toEqual([n.N1, n.N9].sort());
      expect(endorsers(before.duplicate)).toEqual([p.CJIB, p.SVB, p.DUO].sort());
      expect(before.n9).toMatchObject({ state: 'BLOCKED', blockers: [{ id: duplicate.id }] });
      expectPriorityMatches(before.original);
    });

    it("moves the duplicate's needs to the original, a shared need counted once", async () => {
      expect(after.original.affectedNeeds.totalCount).toBe(3);
      expect(ids(after.original.affectedNeeds.nodes)).toEqual([n.N1, n.N2, n.N9].sort());
      expect(after.duplicate.affectedNeeds).toEqual({ totalCount: 0, nodes: [] });
      for (const need of after.original.affectedNeeds.nodes) {
        expect(need.state).toBe('BLOCKED');
        const blockers = need.blockers.map((b) => b.id);
        expect(blockers.filter((id) => id === original.id)).toHaveLength(1);
        expect(blockers).not.toContain(duplicate.id);
      }
      // N9 had only the duplicate; it is now blocked by the original alone.
      expect(after.original.affectedNeeds.nodes.find((x) => x.id === n.N9)!.blockers).toEqual([
        { id: original.id },
      ]);
      const { rows } = await server.db.query(
        `SELECT count(*)::int AS links FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
          WHERE b.number = $1`,
        [Number(original.key.slice(4))],
      );
      expect(rows[0].links).toBe(3);
    });

    it("moves endorsements, skipping the original's own endorsers and its reporting provider", () => {
      expect(endorsers(after.original)).toEqual([p.CJIB, p.DUO].sort());
      const byProvider = new Map(after.original.endorsements.map((e) => [e.provider.id, e]));
      // CJIB keeps its own endorsement of the original; DUO's comes over with its user and note.
      expect(byProvider.get(p.CJIB)).toMatchObject({ note: 'CJIB op het origineel' });
      expect(byProvider.get(p.DUO)).toMatchObject({
        note: 'DUO op het duplicaat',
        user: { subject: 'merge-steward-DUO' },
      });
      expect(after.duplicate.endorsements).toEqual([]);
      expect(ids(after.original.affectedProviders)).toEqual(
        [p.SVB, p.UWV, p.BD, p.UTRECHT, p.CJIB, p.DUO].sort(),
      );
    });

    it('shows the link on both', () => {
      expect(after.duplicate.duplicateOf).toEqual({ id: original.id });
      expect(after.duplicate.status).toBe('DUPLICATE');
      expect(after.original.duplicates).toEqual([{ id: duplicate.id }]);
      expect(after.original.duplicateOf).toBeNull();
      expect(after.original.status).toBe('TRIAGED');
    });

    it("recomputes the original's priority from the needs and endorsements it gained", () => {
      expect(after.original.priority.score).toBeGreaterThan(before.original.priority.score);
      expectPriorityMatches(after.original);
      // reach: need providers SVB, UWV, BD (+ UTRECHT) plus endorsements CJIB (+ DUO).
      expect(factor(before.original, 'reach')).toBeCloseTo(0.4, 4);
      expect(factor(after.original, 'reach')).toBeCloseTo(0.6, 4);
      // unblocks: N9 now waits on the original alone (N1 and N2 keep demo blockers open).
      expect(factor(after.original, 'unblocks')).toBeCloseTo(factor(before.original, 'unblocks') + 0.1, 4);
      // people: the annual cases of N9 are added.
      expect(factor(after.original, 'people')).toBeGreaterThan(factor(before.original, 'people'));
    });

    it('changes the version of both once and writes an audit event on both', () => {
      expect(after.duplicate.version).toBe(before.duplicate.version + 1);
      expect(after.original.version).toBe(before.original.version + 1);

      const moved = after.duplicate.history.nodes[0];
      expect(after.duplicate.history.totalCount).toBe(before.duplicate.history.totalCount + 1);
      expect(moved).toMatchObject({ action: 'blocker.transitioned', actor: { subject: 'merge-steering' } });
      expect(moved.changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'PRIORITISED', to: 'DUPLICATE' },
          { field: 'duplicateOf', from: null, to: original.id },
        ]),
      );

      expect(after.original.history.totalCount).toBe(before.original.history.totalCount + 1);
      const merged = after.original.history.nodes[0];
      expect(merged.actor).toEqual({ subject: 'merge-steering' });
      expect(merged.action).toBe('blocker.merged');
      const change = (field: string) => merged.changes.find((c) => c.field === field)?.to;
      expect(change('duplicates')).toBe(duplicate.id);
      // What actually moved: N9 (N1 was there already) and DUO's endorsement (not CJIB's, not SVB's).
      expect(change('affectedNeeds')).toEqual([n.N9]);
      expect(change('endorsements')).toEqual([p.DUO]);
    });

    it('a second duplicate that adds nothing new leaves the counts and the score as they are', async () => {
      let second = await f.blockerIn('REPORTED', { needIds: [n.N2], title: 'Inkomensgegevens ontbreken' });
      await endorse(second.id, 'CJIB', 'weer CJIB');
      await endorse(second.id, 'DUO', 'weer DUO');
      second = await f.get(second.id);
      const o = await full(original.id);
      await f.move(second, 'DUPLICATE', { duplicateOfId: original.id });
      const [o2, d2] = await Promise.all([full(original.id), full(second.id)]);
      expect(o2.affectedNeeds.totalCount).toBe(3);
      expect(endorsers(o2)).toEqual([p.CJIB, p.DUO].sort());
      expect(o2.priority).toEqual(o.priority);
      expect(ids(o2.duplicates)).toEqual([duplicate.id, second.id].sort());
      expect(d2.duplicateOf).toEqual({ id: original.id });
      expect(o2.version).toBe(o.version + 1);
      const change = (field: string) => o2.history.nodes[0].changes.find((c) => c.field === field)?.to;
      expect(o2.history.nodes[0].action).toBe('blocker.merged');
      expect(change('affectedNeeds')).toEqual([]);
      expect(change('endorsements')).toEqual([]);
    });
  });

  describe('a duplicate with dependencies', () => {
    let o: BlockerView;
    let d: BlockerView;
    let x: BlockerView;
    let y: BlockerView;
    let pre: BlockerView;
    let after: { o: Full; d: Full; x: Full; y: Full };

    const depend = (blocker: BlockerView, on: BlockerView): Promise<unknown> =>
      server.ok(ADD_DEPENDENCY, { input: { blockerId: blocker.id, dependsOnId: on.id } }, steering);

    beforeAll(async () => {
      o = await f.blockerIn('TRIAGED', { needIds: [n.N1], title: 'Origineel met afhankelijkheden' });
      d = await f.blockerIn('TRIAGED', { needIds: [n.N1], title: 'Duplicaat met afhankelijkheden' });
      x = await f.blockerIn('TRIAGED', { needIds: [n.N2], title: 'Wacht op het duplicaat' });
      y = await f.blockerIn('TRIAGED', {
        needIds: [n.N2],
        title: 'Wacht op het duplicaat, origineel wacht erop',
      });
      pre = await f.blockerIn('TRIAGED', { needIds: [n.N2], title: 'Voorwaarde van het duplicaat' });
      // x waits on d; d waits on pre; o waits on y and y waits on d (so y -> o would close o -> y -> o).
      await depend(x, d);
      await depend(d, pre);
      await depend(o, y);
      await depend(y, d);
      d = await f.get(d.id);
      await f.move(d, 'DUPLICATE', { duplicateOfId: o.id });
      const [o2, d2, x2, y2] = await Promise.all([full(o.id), full(d.id), full(x.id), full(y.id)]);
      after = { o: o2, d: d2, x: x2, y: y2 };
    });

    it('what waited on the duplicate waits on the original', () => {
      expect(after.x.dependsOn).toEqual([{ id: o.id }]);
      expect(ids(after.o.dependents)).toEqual([x.id]);
    });

    it('what the duplicate waited on the original now waits on', () => {
      expect(ids(after.o.dependsOn)).toEqual([y.id, pre.id].sort());
      expect(after.d.dependsOn).toEqual([]);
    });

    it('keeps on the duplicate an edge that would close a cycle on the original', () => {
      expect(after.y.dependsOn).toEqual([{ id: d.id }]);
      expect(after.d.dependents).toEqual([{ id: y.id }]);
    });

    it("names what moved in the original's merge event and recomputes its dependents factor", () => {
      const merged = after.o.history.nodes[0];
      expect(merged.action).toBe('blocker.merged');
      const change = (field: string) => merged.changes.find((c) => c.field === field)?.to;
      expect(change('dependents')).toEqual([x.id]);
      expect(change('dependsOn')).toEqual([pre.id]);
      // One open blocker (x) waits on the original: 1 / 5.
      expect(factor(after.o, 'dependents')).toBeCloseTo(0.2, 4);
    });
  });
});
