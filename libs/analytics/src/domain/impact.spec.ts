import {
  blockerImpact,
  buildImpactGraph,
  criticalBlockers,
  dependentsOf,
  ImpactGraph,
  ImpactMeasure,
  prerequisitesOf,
  scoreBlocker,
  whatIf,
} from './impact';

interface Registry {
  /** blocker -> open? */
  blockers: Record<string, boolean>;
  /** need -> [requester, annualCases] */
  needs: Record<string, [string, number | null]>;
  /** blocker -> the needs it affects */
  affects: Record<string, string[]>;
  /** blocker -> the blockers it waits for */
  waitsFor?: Record<string, string[]>;
}

function graphOf(r: Registry): ImpactGraph {
  return buildImpactGraph({
    openBlockers: Object.keys(r.blockers).filter((b) => r.blockers[b]),
    links: Object.entries(r.affects).flatMap(([blockerId, needs]) =>
      needs.map((needId) => ({ blockerId, needId })),
    ),
    dependencies: Object.entries(r.waitsFor ?? {}).flatMap(([blockerId, deps]) =>
      deps.map((dependsOnId) => ({ blockerId, dependsOnId })),
    ),
    needs: Object.entries(r.needs).map(([id, [requesterId, annualCases]]) => ({
      id,
      requesterId,
      annualCases,
    })),
  });
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();
const NUMBER = (id: string): number => Number(id.replace(/\D/g, ''));

describe('impact of resolving blockers', () => {
  describe('one blocker, one need', () => {
    const g = graphOf({
      blockers: { b1: true },
      needs: { n1: ['P', 100] },
      affects: { b1: ['n1'] },
    });

    it('frees the need and reaches its cases', () => {
      expect(blockerImpact(g, 'b1')).toEqual({
        prerequisites: [],
        dependents: [],
        unblockedIfResolved: ['n1'],
      });
      expect(scoreBlocker(g, 'b1')).toEqual({
        blockerId: 'b1',
        needsUnblocked: 1,
        peopleReached: 100,
        providersUnblocked: 1,
      });
    });
  });

  describe('a shared blocker', () => {
    // n1 is held by b1 and b2; n2 only by b2; n3 only by b1.
    const g = graphOf({
      blockers: { b1: true, b2: true },
      needs: { n1: ['P', 10], n2: ['Q', 20], n3: ['P', 30] },
      affects: { b1: ['n1', 'n3'], b2: ['n1', 'n2'] },
    });

    it('frees only the needs that have no other open blocker', () => {
      expect(blockerImpact(g, 'b1').unblockedIfResolved).toEqual(['n3']);
      expect(blockerImpact(g, 'b2').unblockedIfResolved).toEqual(['n2']);
    });

    it('frees a need held by two blockers only when both are resolved', () => {
      expect(sorted(whatIf(g, ['b1', 'b2']).needsUnblocked)).toEqual(['n1', 'n2', 'n3']);
      expect(whatIf(g, ['b1']).needsStillBlocked).toBe(2);
    });

    it('unblocks a provider only when none of its blocked needs is left', () => {
      expect(scoreBlocker(g, 'b1').providersUnblocked).toBe(0); // P keeps n1
      expect(scoreBlocker(g, 'b2').providersUnblocked).toBe(1); // Q has only n2
      expect(sorted(whatIf(g, ['b1', 'b2']).providersFullyUnblocked)).toEqual(['P', 'Q']);
    });
  });

  describe('a prerequisite', () => {
    // b2 waits for b1; n1 is held by both.
    const g = graphOf({
      blockers: { b1: true, b2: true },
      needs: { n1: ['P', 5] },
      affects: { b1: ['n1'], b2: ['n1'] },
      waitsFor: { b2: ['b1'] },
    });

    it('resolves b with its open prerequisites', () => {
      expect(blockerImpact(g, 'b2')).toEqual({
        prerequisites: ['b1'],
        dependents: [],
        unblockedIfResolved: ['n1'],
      });
    });

    it('does not resolve the blockers waiting for b', () => {
      expect(blockerImpact(g, 'b1')).toEqual({
        prerequisites: [],
        dependents: ['b2'],
        unblockedIfResolved: [],
      });
    });

    it('warns in what-if about a member whose open prerequisite is outside the set, and still counts it', () => {
      const alone = whatIf(g, ['b2']);
      expect(alone.blockedByPrerequisites).toEqual(['b2']);
      expect(alone.needsUnblocked).toEqual([]);
      const both = whatIf(g, ['b1', 'b2']);
      expect(both.blockedByPrerequisites).toEqual([]);
      expect(both.needsUnblocked).toEqual(['n1']);
    });
  });

  describe('closed blockers', () => {
    // b3 waits for b2 (closed), which waits for b1 (open); b4 is closed and affects n2.
    const g = graphOf({
      blockers: { b1: true, b2: false, b3: true, b4: false },
      needs: { n1: ['P', 1], n2: ['Q', 2], n3: ['R', 3] },
      affects: { b1: ['n3'], b2: ['n1'], b3: ['n1'], b4: ['n2'] },
      waitsFor: { b3: ['b2'], b2: ['b1'] },
    });

    it('a closed prerequisite holds nothing up, and a walk does not pass through it', () => {
      expect(prerequisitesOf(g, 'b3')).toEqual(new Set());
      expect(dependentsOf(g, 'b1')).toEqual(new Set());
      expect(whatIf(g, ['b3']).blockedByPrerequisites).toEqual([]);
    });

    it('a closed blocker holds no need', () => {
      expect(blockerImpact(g, 'b3').unblockedIfResolved).toEqual(['n1']);
      // n2 is not blocked at all: only a closed blocker affects it.
      expect(whatIf(g, ['b1', 'b3']).needsStillBlocked).toBe(0);
    });

    it('resolving a closed blocker changes nothing', () => {
      expect(blockerImpact(g, 'b4')).toEqual({ prerequisites: [], dependents: [], unblockedIfResolved: [] });
      expect(whatIf(g, ['b4', 'b2'])).toEqual({
        needsUnblocked: [],
        needsStillBlocked: 2,
        peopleReached: 0,
        providersFullyUnblocked: [],
        blockedByPrerequisites: [],
      });
    });

    it('ranks only open blockers', () => {
      const ranked = criticalBlockers(g, ['b1', 'b2', 'b3', 'b4'], ImpactMeasure.NEEDS_UNBLOCKED, 10, NUMBER);
      expect(ranked.map((s) => s.blockerId)).toEqual(['b1', 'b3']);
    });
  });

  describe('a diamond of dependencies', () => {
    // top waits for left and right, which both wait for base.
    const g = graphOf({
      blockers: { top: true, left: true, right: true, base: true },
      needs: { n1: ['P', 1], n2: ['P', 2], n3: ['Q', 4], n4: ['R', 8] },
      affects: { top: ['n1'], left: ['n1', 'n2'], right: ['n2', 'n3'], base: ['n3', 'n4'] },
      waitsFor: { top: ['left', 'right'], left: ['base'], right: ['base'] },
    });

    it('collects each prerequisite and dependent once', () => {
      expect(sorted(prerequisitesOf(g, 'top'))).toEqual(['base', 'left', 'right']);
      expect(sorted(dependentsOf(g, 'base'))).toEqual(['left', 'right', 'top']);
      expect(sorted(prerequisitesOf(g, 'left'))).toEqual(['base']);
    });

    it('resolving the top resolves the whole diamond', () => {
      expect(sorted(blockerImpact(g, 'top').unblockedIfResolved)).toEqual(['n1', 'n2', 'n3', 'n4']);
      expect(scoreBlocker(g, 'top')).toEqual({
        blockerId: 'top',
        needsUnblocked: 4,
        peopleReached: 15,
        providersUnblocked: 3,
      });
    });

    it('resolving one side frees only what that side and the base hold alone', () => {
      // left + base: n1 still has top, n2 still has right, n3 still has right; n4 only base.
      expect(blockerImpact(g, 'left').unblockedIfResolved).toEqual(['n4']);
    });
  });

  describe('a cycle in the data', () => {
    // The API refuses cycles, but the algorithms must not rely on that.
    const g = graphOf({
      blockers: { a: true, b: true, c: true },
      needs: { n1: ['P', 1], n2: ['Q', 1] },
      affects: { a: ['n1'], b: ['n1'], c: ['n2'] },
      waitsFor: { a: ['b'], b: ['a'], c: ['c'] },
    });

    it('terminates and leaves b out of its own prerequisites', () => {
      expect(sorted(prerequisitesOf(g, 'a'))).toEqual(['b']);
      expect(sorted(dependentsOf(g, 'a'))).toEqual(['b']);
      expect(prerequisitesOf(g, 'c')).toEqual(new Set());
    });

    it('resolves the whole cycle', () => {
      expect(blockerImpact(g, 'a').unblockedIfResolved).toEqual(['n1']);
      expect(blockerImpact(g, 'c').unblockedIfResolved).toEqual(['n2']);
    });
  });

  describe('criticalBlockers', () => {
    // b1 frees n1 (P, 10); b2 frees n2 and n3 (Q, 1 each); b3 frees n4 (R, 50) and n5 (S, null);
    // b4 frees nothing alone (n6 also held by b5); b5 frees nothing.
    const g = graphOf({
      blockers: { b1: true, b2: true, b3: true, b4: true, b5: true },
      needs: {
        n1: ['P', 10],
        n2: ['Q', 1],
        n3: ['Q', 1],
        n4: ['R', 50],
        n5: ['S', null],
        n6: ['T', 7],
      },
      affects: { b1: ['n1'], b2: ['n2', 'n3'], b3: ['n4', 'n5'], b4: ['n6'], b5: ['n6'] },
    });
    const rank = (by: ImpactMeasure, first = 10): string[] =>
      criticalBlockers(g, ['b5', 'b4', 'b3', 'b2', 'b1'], by, first, NUMBER).map((s) => s.blockerId);

    it('ranks by needs unblocked, ties by key number', () => {
      expect(rank(ImpactMeasure.NEEDS_UNBLOCKED)).toEqual(['b2', 'b3', 'b1', 'b4', 'b5']);
    });

    it('ranks by people reached (unknown cases count 0)', () => {
      expect(rank(ImpactMeasure.PEOPLE_REACHED)).toEqual(['b3', 'b1', 'b2', 'b4', 'b5']);
    });

    it('ranks by providers unblocked', () => {
      expect(rank(ImpactMeasure.PROVIDERS_UNBLOCKED)).toEqual(['b3', 'b1', 'b2', 'b4', 'b5']);
    });

    it('returns at most first', () => {
      expect(rank(ImpactMeasure.NEEDS_UNBLOCKED, 2)).toEqual(['b2', 'b3']);
    });

    it('what-if of the two that share a need frees it', () => {
      expect(whatIf(g, ['b4', 'b5'])).toEqual({
        needsUnblocked: ['n6'],
        needsStillBlocked: 5,
        peopleReached: 7,
        providersFullyUnblocked: ['T'],
        blockedByPrerequisites: [],
      });
    });
  });

  it('ignores links and dependencies of unknown blockers and repeated links', () => {
    const g = buildImpactGraph({
      openBlockers: ['b1'],
      links: [
        { blockerId: 'b1', needId: 'n1' },
        { blockerId: 'b1', needId: 'n1' },
        { blockerId: 'gone', needId: 'n1' },
      ],
      dependencies: [{ blockerId: 'b1', dependsOnId: 'gone' }],
      needs: [{ id: 'n1', requesterId: 'P', annualCases: 3 }],
    });
    expect(blockerImpact(g, 'b1')).toEqual({
      prerequisites: [],
      dependents: [],
      unblockedIfResolved: ['n1'],
    });
    expect(scoreBlocker(g, 'b1').peopleReached).toBe(3);
  });

  it('refuses a blocked need it is not told about', () => {
    expect(() =>
      buildImpactGraph({
        openBlockers: ['b1'],
        links: [{ blockerId: 'b1', needId: 'n1' }],
        dependencies: [],
        needs: [],
      }),
    ).toThrow(/n1/);
  });
});
