import { Role } from '@app/core/actor';
import {
  availableTransitions,
  BlockerStatus,
  checkTransition,
  CLOSED_STATUSES,
  isOpen,
  OPEN_STATUSES,
  Requirement,
  WorkflowBlocker,
  WorkflowViewer,
} from './workflow';

const { REPORTED, TRIAGED, PRIORITISED, IN_PROGRESS, ESCALATED, RESOLVED, REJECTED, DUPLICATE, WITHDRAWN } =
  BlockerStatus;

const ALL_STATUSES: BlockerStatus[] = [
  REPORTED,
  TRIAGED,
  PRIORITISED,
  IN_PROGRESS,
  ESCALATED,
  RESOLVED,
  REJECTED,
  DUPLICATE,
  WITHDRAWN,
];

type Who = 'STEERING' | 'REPORTER' | 'OWNER';

/** The workflow table of the brief, written out independently of workflow.ts. */
const BRIEF_TABLE: Array<{ from: BlockerStatus[]; to: BlockerStatus; who: Who[]; needs: Requirement[] }> = [
  { from: [REPORTED], to: TRIAGED, who: ['STEERING'], needs: [] },
  { from: [REPORTED, TRIAGED], to: REJECTED, who: ['STEERING'], needs: ['reason'] },
  { from: [REPORTED, TRIAGED, PRIORITISED], to: DUPLICATE, who: ['STEERING'], needs: ['duplicateOf'] },
  { from: [REPORTED, TRIAGED], to: WITHDRAWN, who: ['REPORTER', 'STEERING'], needs: ['reason'] },
  { from: [TRIAGED], to: PRIORITISED, who: ['STEERING'], needs: [] },
  { from: [PRIORITISED, ESCALATED], to: IN_PROGRESS, who: ['OWNER', 'STEERING'], needs: ['owner'] },
  { from: [PRIORITISED, IN_PROGRESS], to: ESCALATED, who: ['STEERING'], needs: ['reason'] },
  { from: [IN_PROGRESS, ESCALATED], to: PRIORITISED, who: ['STEERING'], needs: [] },
  {
    from: [IN_PROGRESS, ESCALATED],
    to: RESOLVED,
    who: ['OWNER', 'STEERING'],
    needs: ['resolution', 'prerequisitesClosed'],
  },
  { from: [RESOLVED, REJECTED, DUPLICATE, WITHDRAWN], to: TRIAGED, who: ['STEERING'], needs: ['reason'] },
];

const briefRow = (from: BlockerStatus, to: BlockerStatus) =>
  BRIEF_TABLE.find((row) => row.to === to && row.from.includes(from));

const REPORTING = 'provider-reporting';
const OWNER = 'provider-owner';
const OTHER = 'provider-other';

const blockerIn = (status: BlockerStatus, ownerId: string | null = OWNER): WorkflowBlocker => ({
  status,
  reportingProviderId: REPORTING,
  ownerId,
});

interface Persona {
  label: string;
  viewer: WorkflowViewer;
  /** May this persona make a move whose `who` column is `who`? (ADMIN may do anything.) */
  may: (who: Who[]) => boolean;
}

const PERSONAS: Persona[] = [
  { label: 'ADMIN', viewer: { roles: [Role.ADMIN], providerId: null }, may: () => true },
  {
    label: 'STEERING',
    viewer: { roles: [Role.STEERING], providerId: null },
    may: (who) => who.includes('STEERING'),
  },
  {
    label: 'STEWARD of the reporting provider',
    viewer: { roles: [Role.STEWARD], providerId: REPORTING },
    may: (who) => who.includes('REPORTER'),
  },
  {
    label: 'STEWARD of the owner',
    viewer: { roles: [Role.STEWARD], providerId: OWNER },
    may: (who) => who.includes('OWNER'),
  },
  { label: 'other STEWARD', viewer: { roles: [Role.STEWARD], providerId: OTHER }, may: () => false },
  { label: 'ANALYST', viewer: { roles: [Role.ANALYST], providerId: null }, may: () => false },
];

const PAIRS: Array<[BlockerStatus, BlockerStatus]> = ALL_STATUSES.flatMap((from) =>
  ALL_STATUSES.map((to): [BlockerStatus, BlockerStatus] => [from, to]),
);

const sorted = (statuses: BlockerStatus[]): BlockerStatus[] => [...statuses].sort();

describe('workflow', () => {
  it('knows the open and closed statuses of the brief', () => {
    expect(sorted([...OPEN_STATUSES])).toEqual(
      sorted([REPORTED, TRIAGED, PRIORITISED, IN_PROGRESS, ESCALATED]),
    );
    expect(sorted([...CLOSED_STATUSES])).toEqual(sorted([RESOLVED, REJECTED, DUPLICATE, WITHDRAWN]));
    for (const status of ALL_STATUSES) {
      expect(isOpen(status)).toBe(OPEN_STATUSES.includes(status));
    }
    expect(ALL_STATUSES.filter(isOpen)).toHaveLength(5);
  });

  it('the brief table has 21 moves out of the 81 status pairs', () => {
    expect(PAIRS.filter(([from, to]) => briefRow(from, to))).toHaveLength(21);
  });

  describe.each(PERSONAS)('checkTransition for $label', ({ viewer, may }) => {
    it.each(PAIRS)('%s -> %s', (from, to) => {
      const row = briefRow(from, to);
      const result = checkTransition(viewer, blockerIn(from), to);
      if (!row) {
        expect(result).toEqual({ error: 'INVALID_TRANSITION' });
      } else if (may(row.who)) {
        expect(result.error).toBeUndefined();
        expect(result.rule?.to).toBe(to);
        expect(result.rule?.from).toContain(from);
        expect([...(result.rule?.needs ?? [])].sort()).toEqual([...row.needs].sort());
      } else {
        expect(result).toEqual({ error: 'FORBIDDEN' });
      }
    });
  });

  describe('checkTransition edge cases', () => {
    it('refuses a steward of the owner when the blocker has no owner, even with no provider of their own', () => {
      const noProvider: WorkflowViewer = { roles: [Role.STEWARD], providerId: null };
      expect(checkTransition(noProvider, blockerIn(PRIORITISED, null), IN_PROGRESS)).toEqual({
        error: 'FORBIDDEN',
      });
      expect(checkTransition(noProvider, blockerIn(ESCALATED, null), RESOLVED)).toEqual({
        error: 'FORBIDDEN',
      });
    });

    it('does not treat a provider id without the STEWARD role as stewardship', () => {
      const analystOfOwner: WorkflowViewer = { roles: [Role.ANALYST], providerId: OWNER };
      const analystOfReporter: WorkflowViewer = { roles: [Role.ANALYST], providerId: REPORTING };
      expect(checkTransition(analystOfOwner, blockerIn(IN_PROGRESS), RESOLVED)).toEqual({
        error: 'FORBIDDEN',
      });
      expect(checkTransition(analystOfReporter, blockerIn(REPORTED), WITHDRAWN)).toEqual({
        error: 'FORBIDDEN',
      });
    });

    it('lets a steward whose provider both reported and owns the blocker do both kinds of move', () => {
      const both: WorkflowBlocker = { status: TRIAGED, reportingProviderId: OWNER, ownerId: OWNER };
      const steward: WorkflowViewer = { roles: [Role.STEWARD], providerId: OWNER };
      expect(checkTransition(steward, both, WITHDRAWN).error).toBeUndefined();
      expect(checkTransition(steward, { ...both, status: PRIORITISED }, IN_PROGRESS).error).toBeUndefined();
      expect(checkTransition(steward, { ...both, status: PRIORITISED }, ESCALATED)).toEqual({
        error: 'FORBIDDEN',
      });
    });

    it('the reporting steward may not act as owner, nor the owner as reporter', () => {
      const reporter: WorkflowViewer = { roles: [Role.STEWARD], providerId: REPORTING };
      const owner: WorkflowViewer = { roles: [Role.STEWARD], providerId: OWNER };
      expect(checkTransition(reporter, blockerIn(IN_PROGRESS), RESOLVED)).toEqual({ error: 'FORBIDDEN' });
      expect(checkTransition(owner, blockerIn(REPORTED), WITHDRAWN)).toEqual({ error: 'FORBIDDEN' });
    });

    it('combines roles: a steward who is also in the steering group may make steering moves', () => {
      const viewer: WorkflowViewer = { roles: [Role.STEWARD, Role.STEERING], providerId: OTHER };
      expect(checkTransition(viewer, blockerIn(REPORTED), TRIAGED).error).toBeUndefined();
    });

    it('answers INVALID_TRANSITION before FORBIDDEN', () => {
      const analyst: WorkflowViewer = { roles: [Role.ANALYST], providerId: null };
      expect(checkTransition(analyst, blockerIn(RESOLVED), IN_PROGRESS)).toEqual({
        error: 'INVALID_TRANSITION',
      });
    });
  });

  describe.each(PERSONAS)('availableTransitions for $label', ({ viewer, may }) => {
    const expected = (status: BlockerStatus, hasOwner: boolean, prerequisiteOpen: boolean): BlockerStatus[] =>
      BRIEF_TABLE.filter(
        (row) =>
          row.from.includes(status) &&
          // Without an owner nobody is the steward of the owner.
          may(hasOwner ? row.who : row.who.filter((who) => who !== 'OWNER')) &&
          !(row.to === IN_PROGRESS && !hasOwner) &&
          !(row.to === RESOLVED && prerequisiteOpen),
      ).map((row) => row.to);

    it.each(ALL_STATUSES)('from %s, with an owner and no open prerequisite', (status) => {
      expect(sorted(availableTransitions(viewer, blockerIn(status), false))).toEqual(
        sorted(expected(status, true, false)),
      );
    });

    it.each(ALL_STATUSES)('from %s, with an open prerequisite', (status) => {
      expect(sorted(availableTransitions(viewer, blockerIn(status), true))).toEqual(
        sorted(expected(status, true, true)),
      );
    });

    it.each(ALL_STATUSES)('from %s, without an owner', (status) => {
      expect(sorted(availableTransitions(viewer, blockerIn(status, null), false))).toEqual(
        sorted(expected(status, false, false)),
      );
    });
  });

  describe('availableTransitions examples', () => {
    const steering: WorkflowViewer = { roles: [Role.STEERING], providerId: null };
    const owner: WorkflowViewer = { roles: [Role.STEWARD], providerId: OWNER };
    const reporter: WorkflowViewer = { roles: [Role.STEWARD], providerId: REPORTING };

    it('offers the steering group every move out of REPORTED', () => {
      expect(sorted(availableTransitions(steering, blockerIn(REPORTED), false))).toEqual(
        sorted([TRIAGED, REJECTED, DUPLICATE, WITHDRAWN]),
      );
    });

    it('hides IN_PROGRESS while no owner is set', () => {
      expect(sorted(availableTransitions(steering, blockerIn(PRIORITISED, null), false))).toEqual(
        sorted([DUPLICATE, ESCALATED]),
      );
      expect(sorted(availableTransitions(steering, blockerIn(PRIORITISED), false))).toEqual(
        sorted([DUPLICATE, ESCALATED, IN_PROGRESS]),
      );
      expect(availableTransitions(owner, blockerIn(ESCALATED), false)).toEqual([IN_PROGRESS, RESOLVED]);
    });

    it('hides RESOLVED while a prerequisite is open', () => {
      expect(availableTransitions(owner, blockerIn(IN_PROGRESS), false)).toEqual([RESOLVED]);
      expect(availableTransitions(owner, blockerIn(IN_PROGRESS), true)).toEqual([]);
      expect(sorted(availableTransitions(steering, blockerIn(ESCALATED), true))).toEqual(
        sorted([IN_PROGRESS, PRIORITISED]),
      );
    });

    it('offers the reporting steward only withdrawal, and only before prioritisation', () => {
      expect(availableTransitions(reporter, blockerIn(REPORTED), false)).toEqual([WITHDRAWN]);
      expect(availableTransitions(reporter, blockerIn(TRIAGED), false)).toEqual([WITHDRAWN]);
      expect(availableTransitions(reporter, blockerIn(PRIORITISED), false)).toEqual([]);
    });

    it('offers the steering group a reopen of every closed blocker, and nothing else', () => {
      for (const status of [RESOLVED, REJECTED, DUPLICATE, WITHDRAWN]) {
        expect(availableTransitions(steering, blockerIn(status), false)).toEqual([TRIAGED]);
      }
    });

    it('offers nothing to an analyst or an unrelated steward', () => {
      const analyst: WorkflowViewer = { roles: [Role.ANALYST], providerId: null };
      const other: WorkflowViewer = { roles: [Role.STEWARD], providerId: OTHER };
      for (const status of ALL_STATUSES) {
        expect(availableTransitions(analyst, blockerIn(status), false)).toEqual([]);
        expect(availableTransitions(other, blockerIn(status), false)).toEqual([]);
      }
    });
  });
});
