/**
 * The workflow of the brief ("Workflow", "Permissions", "Error codes") over HTTP on the built server:
 * every from/to pair for every kind of viewer, what each move needs, optimistic locking, the audit
 * event of each move, reopening, and the derived need states.
 */
import {
  auditCount,
  BlockerView,
  blockerRow,
  CLOSED,
  expectError,
  Fixtures,
  isOpen,
  MoveInput,
  needsReason,
  OPEN,
  PATH,
  RESOLUTION,
  Status,
  STATUSES,
} from './support/blockers';
import { needIds, oinOf, providerIds } from './support/demo';
import { TestServer, token } from './support/server';

type Viewer = 'ADMIN' | 'STEERING' | 'REPORTER' | 'OWNER' | 'UNINVOLVED' | 'ANALYST';
const VIEWERS: readonly Viewer[] = ['ADMIN', 'STEERING', 'REPORTER', 'OWNER', 'UNINVOLVED', 'ANALYST'];

/** The brief's workflow table, written out again as the oracle (not imported from the code under test). */
const TABLE: ReadonlyArray<{ from: Status[]; to: Status; who: Array<'STEERING' | 'REPORTER' | 'OWNER'> }> = [
  { from: ['REPORTED'], to: 'TRIAGED', who: ['STEERING'] },
  { from: ['REPORTED', 'TRIAGED'], to: 'REJECTED', who: ['STEERING'] },
  { from: ['REPORTED', 'TRIAGED', 'PRIORITISED'], to: 'DUPLICATE', who: ['STEERING'] },
  { from: ['REPORTED', 'TRIAGED'], to: 'WITHDRAWN', who: ['REPORTER', 'STEERING'] },
  { from: ['TRIAGED'], to: 'PRIORITISED', who: ['STEERING'] },
  { from: ['PRIORITISED', 'ESCALATED'], to: 'IN_PROGRESS', who: ['OWNER', 'STEERING'] },
  { from: ['PRIORITISED', 'IN_PROGRESS'], to: 'ESCALATED', who: ['STEERING'] },
  { from: ['IN_PROGRESS', 'ESCALATED'], to: 'PRIORITISED', who: ['STEERING'] },
  { from: ['IN_PROGRESS', 'ESCALATED'], to: 'RESOLVED', who: ['OWNER', 'STEERING'] },
  { from: ['RESOLVED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'], to: 'TRIAGED', who: ['STEERING'] },
];

type Outcome = 'OK' | 'FORBIDDEN' | 'INVALID_TRANSITION';

function expected(viewer: Viewer, from: Status, to: Status): Outcome {
  const row = TABLE.find((r) => r.to === to && r.from.includes(from));
  if (!row) return 'INVALID_TRANSITION';
  if (viewer === 'ADMIN') return 'OK';
  return (row.who as string[]).includes(viewer) ? 'OK' : 'FORBIDDEN';
}

const SUBJECT: Record<Viewer, string> = {
  ADMIN: 'wf-admin',
  STEERING: 'wf-steering',
  REPORTER: 'wf-steward-svb',
  OWNER: 'wf-steward-rdw',
  UNINVOLVED: 'wf-steward-kvk',
  ANALYST: 'wf-analyst',
};

const HISTORY = `
  query History($id: ID!) {
    blocker(id: $id) {
      key status version
      history(first: 100) {
        totalCount
        nodes { id action reason actor { subject } changes { field from to } }
      }
    }
  }`;

interface HistoryNode {
  id: string;
  action: string;
  reason: string | null;
  actor: { subject: string } | null;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

const AVAILABLE = `query Available($id: ID!) { blocker(id: $id) { availableTransitions } }`;
const UPDATE = `
  mutation Update($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version owner { id } } }`;
const DEPEND = `
  mutation Depend($input: BlockerDependencyInput!) {
    addBlockerDependency(input: $input) { id version dependsOn { id } }
  }`;
const ENDORSE = `
  mutation Endorse($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id version } }`;
const COMMENT = `mutation Comment($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const LINK = `
  mutation Link($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id version } }`;
const DECLARE = `
  mutation Declare($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id state } }`;
const NEED = `
  query Need($id: ID!) { node(id: $id) { ... on DataNeed { id state blockers(open: true) { id } } } }`;
const LINKS = `
  query Links($id: ID!) {
    blocker(id: $id) {
      id key status open version duplicateOf { id }
      affectedNeeds { totalCount nodes { id } }
      endorsements { provider { id } note }
      dependsOn { id }
      comments { totalCount nodes { id body } }
      history(first: 100) { totalCount nodes { id action reason } }
    }
  }`;

describe('blocker workflow', () => {
  let server: TestServer;
  let f: Fixtures;
  let bearer: Record<Viewer, string>;
  let providers: Record<string, string>;
  let needs: Record<string, string>;
  /** An open blocker that refused DUPLICATE attempts name as the original. */
  let sharedOriginal: BlockerView;
  let needCounter = 0;

  const steering = (): string => bearer.STEERING;

  async function history(id: string): Promise<{ totalCount: number; nodes: HistoryNode[] }> {
    return (await server.ok<any>(HISTORY, { id }, steering())).blocker.history;
  }

  async function available(id: string, viewer: Viewer): Promise<Status[]> {
    const data = await server.ok<any>(AVAILABLE, { id }, bearer[viewer]);
    return [...data.blocker.availableTransitions].sort();
  }

  /** A fresh need of SVB (the reporter's provider) that no other blocker touches. */
  async function freshNeed(): Promise<string> {
    const n = ++needCounter;
    const data = await server.ok<any>(
      DECLARE,
      {
        input: {
          supplierId: providers.DUO,
          dataElements: ['studiefinanciering'],
          purpose: `Workflow test need ${n}`,
          annualCases: 1000 + n,
        },
      },
      bearer.REPORTER,
    );
    expect(data.declareDataNeed.state).toBe('REQUESTED');
    return data.declareDataNeed.id;
  }

  async function needState(id: string): Promise<{ state: string; open: string[] }> {
    const data = await server.ok<any>(NEED, { id }, steering());
    return { state: data.node.state, open: data.node.blockers.map((b: { id: string }) => b.id).sort() };
  }

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    bearer = {
      ADMIN: token('ADMIN', { sub: SUBJECT.ADMIN }),
      STEERING: token('STEERING', { sub: SUBJECT.STEERING }),
      REPORTER: token('STEWARD', { sub: SUBJECT.REPORTER, org: oinOf('SVB') }),
      OWNER: token('STEWARD', { sub: SUBJECT.OWNER, org: oinOf('RDW') }),
      UNINVOLVED: token('STEWARD', { sub: SUBJECT.UNINVOLVED, org: oinOf('KVK') }),
      ANALYST: token('ANALYST', { sub: SUBJECT.ANALYST }),
    };
    providers = await providerIds(server, bearer.ANALYST);
    needs = await needIds(server, bearer.ANALYST);
    // Demo needs where SVB is requester or supplier; each keeps a demo blocker open throughout, so
    // parallel cases on them do not change each other's derived state.
    f = new Fixtures(server, {
      steering: bearer.STEERING,
      reporter: bearer.REPORTER,
      needIds: [needs.N1, needs.N2, needs.N17, needs.N20],
      ownerId: providers.RDW,
    });
    sharedOriginal = await f.report({ title: 'Gedeeld origineel voor weigeringen' });
  });

  afterAll(async () => server?.stop());

  it('the oracle holds the 21 from/to pairs of the brief', () => {
    const pairs = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => expected('STEERING', from, to) === 'OK'),
    );
    expect(pairs).toHaveLength(21);
    expect(STATUSES.flatMap((from) => STATUSES.map((to) => expected('ADMIN', from, to)))).toEqual(
      STATUSES.flatMap((from) => STATUSES.map((to) => expected('STEERING', from, to))),
    );
  });

  describe.each(STATUSES)('from %s', (from) => {
    /** A blocker in `from` that every refused attempt is made on; it must never change. */
    let fixture: BlockerView;
    let auditBefore: number;

    beforeAll(async () => {
      fixture = await f.blockerIn(from);
      auditBefore = await auditCount(server, fixture.key);
    });

    it.each(VIEWERS)(
      '%s: allowed moves succeed, the rest are refused, availableTransitions agrees',
      async (viewer) => {
        const results = await Promise.all(
          STATUSES.map(async (to) => {
            const want = expected(viewer, from, to);
            if (want !== 'OK') {
              // Whatever the move would need is given, so only the table and the viewer decide.
              const input: MoveInput = {
                ...(needsReason(from, to) ? { reason: 'Poging' } : {}),
                ...(to === 'RESOLVED' ? { resolution: RESOLUTION } : {}),
                ...(to === 'DUPLICATE' ? { duplicateOfId: sharedOriginal.id } : {}),
              };
              const res = await f.attempt(fixture, to, input, bearer[viewer]);
              return { to, want, got: (res.errors?.[0]?.extensions?.code as string) ?? 'OK' };
            }
            const before = await f.blockerIn(from);
            const input = await f.inputsFor(from, to);
            const res = await f.attempt(before, to, input, bearer[viewer]);
            if (res.errors?.length) return { to, want, got: JSON.stringify(res.errors) };
            const after = res.data!.transitionBlocker;
            expect(after).toMatchObject({ id: before.id, key: before.key, status: to, open: isOpen(to) });
            expect(after.version).toBe(before.version + 1);
            expect((await f.get(before.id)).status).toBe(to);
            const events = await history(before.id);
            // One event for the report and one per move, the newest first.
            expect(events.totalCount).toBe(1 + PATH[from].length + 1);
            expect(events.nodes[0]).toMatchObject({
              action: 'blocker.transitioned',
              reason: input.reason ?? null,
              actor: { subject: SUBJECT[viewer] },
            });
            expect(events.nodes[0].changes).toContainEqual({ field: 'status', from, to });
            return { to, want, got: 'OK' };
          }),
        );
        expect(results.map((r) => `${from} -> ${r.to}: ${r.got}`)).toEqual(
          results.map((r) => `${from} -> ${r.to}: ${r.want}`),
        );
        const allowed = results.filter((r) => r.want === 'OK').map((r) => r.to);
        expect(await available(fixture.id, viewer)).toEqual([...allowed].sort());
      },
    );

    it('the refused attempts changed nothing and wrote no audit event', async () => {
      const now = await f.get(fixture.id);
      expect({ status: now.status, version: now.version }).toEqual({
        status: fixture.status,
        version: fixture.version,
      });
      expect(await auditCount(server, fixture.key)).toBe(auditBefore);
    });
  });

  describe('what a move needs', () => {
    it.each<[Status, Status, Viewer]>([
      ['REPORTED', 'REJECTED', 'STEERING'],
      ['TRIAGED', 'REJECTED', 'ADMIN'],
      ['REPORTED', 'WITHDRAWN', 'REPORTER'],
      ['TRIAGED', 'WITHDRAWN', 'STEERING'],
      ['PRIORITISED', 'ESCALATED', 'STEERING'],
      ['IN_PROGRESS', 'ESCALATED', 'STEERING'],
      ['RESOLVED', 'TRIAGED', 'STEERING'],
      ['REJECTED', 'TRIAGED', 'STEERING'],
      ['DUPLICATE', 'TRIAGED', 'ADMIN'],
      ['WITHDRAWN', 'TRIAGED', 'STEERING'],
    ])('%s -> %s needs a reason (as %s)', async (from, to, viewer) => {
      const blocker = await f.blockerIn(from);
      const audit = await auditCount(server, blocker.key);
      for (const reason of [undefined, null, '', '   ']) {
        expectError(
          await f.attempt(blocker, to, { reason }, bearer[viewer]),
          'BAD_USER_INPUT',
          'input.reason',
        );
      }
      const still = await f.get(blocker.id);
      expect([still.status, still.version]).toEqual([from, blocker.version]);
      expect(await auditCount(server, blocker.key)).toBe(audit);
      const moved = await f.move(blocker, to, { reason: 'Met een reden' }, bearer[viewer]);
      expect(moved.status).toBe(to);
      expect((await history(blocker.id)).nodes[0]).toMatchObject({
        action: 'blocker.transitioned',
        reason: 'Met een reden',
      });
    });

    it.each<[Status, Viewer]>([
      ['IN_PROGRESS', 'STEERING'],
      ['ESCALATED', 'OWNER'],
    ])('%s -> RESOLVED needs a resolution (as %s)', async (from, viewer) => {
      const blocker = await f.blockerIn(from);
      const audit = await auditCount(server, blocker.key);
      for (const resolution of [undefined, null]) {
        expectError(
          await f.attempt(blocker, 'RESOLVED', { resolution }, bearer[viewer]),
          'BAD_USER_INPUT',
          'input.resolution',
        );
      }
      expect((await f.get(blocker.id)).version).toBe(blocker.version);
      expect(await auditCount(server, blocker.key)).toBe(audit);
      const resolved = await f.move(blocker, 'RESOLVED', { resolution: RESOLUTION }, bearer[viewer]);
      expect(resolved.status).toBe('RESOLVED');
      expect(resolved.resolution).toEqual(RESOLUTION);
    });

    it('DUPLICATE needs duplicateOfId naming another open blocker', async () => {
      const [blocker, resolved, rejected, duplicate, escalated] = await Promise.all([
        f.blockerIn('TRIAGED'),
        f.blockerIn('RESOLVED'),
        f.blockerIn('REJECTED'),
        f.blockerIn('DUPLICATE'),
        f.blockerIn('ESCALATED'),
      ]);
      const audit = await auditCount(server, blocker.key);
      const unknown = Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url');
      const notABlocker = providers.UWV;
      for (const duplicateOfId of [
        undefined,
        null,
        blocker.id,
        resolved.id,
        rejected.id,
        duplicate.id,
        unknown,
        notABlocker,
      ]) {
        expectError(
          await f.attempt(blocker, 'DUPLICATE', { duplicateOfId }, steering()),
          'BAD_USER_INPUT',
          'input.duplicateOfId',
        );
      }
      expect((await f.get(blocker.id)).version).toBe(blocker.version);
      expect(await auditCount(server, blocker.key)).toBe(audit);
      for (const closed of [resolved, rejected, duplicate]) {
        expect((await f.get(closed.id)).version).toBe(closed.version);
      }
      // Any open status will do for the original.
      const merged = await f.move(blocker, 'DUPLICATE', { duplicateOfId: escalated.id });
      expect(merged.duplicateOf).toEqual({ id: escalated.id });
    });

    it.each<Status>(['PRIORITISED', 'ESCALATED'])('%s -> IN_PROGRESS needs an owner', async (from) => {
      let blocker = await f.report({ ownerId: null });
      for (const to of PATH[from]) blocker = await f.move(blocker, to);
      expect(blocker.owner).toBeNull();
      expect(await available(blocker.id, 'STEERING')).not.toContain('IN_PROGRESS');
      expect(await available(blocker.id, 'ADMIN')).not.toContain('IN_PROGRESS');
      const audit = await auditCount(server, blocker.key);
      expectError(await f.attempt(blocker, 'IN_PROGRESS', {}, steering()), 'BAD_USER_INPUT');
      expectError(await f.attempt(blocker, 'IN_PROGRESS', {}, bearer.ADMIN), 'BAD_USER_INPUT');
      expect((await f.get(blocker.id)).version).toBe(blocker.version);
      expect(await auditCount(server, blocker.key)).toBe(audit);

      const updated = await server.ok<any>(
        UPDATE,
        { input: { id: blocker.id, expectedVersion: blocker.version, ownerId: providers.RDW } },
        steering(),
      );
      expect(updated.updateBlocker.owner).toEqual({ id: providers.RDW });
      expect(await available(blocker.id, 'STEERING')).toContain('IN_PROGRESS');
      expect(await available(blocker.id, 'OWNER')).toContain('IN_PROGRESS');
      const started = await f.move(
        { ...blocker, version: updated.updateBlocker.version },
        'IN_PROGRESS',
        {},
        bearer.OWNER,
      );
      expect(started.status).toBe('IN_PROGRESS');
    });

    it.each<Status>(['IN_PROGRESS', 'ESCALATED'])(
      '%s -> RESOLVED with an open dependsOn blocker is PREREQUISITE_OPEN',
      async (from) => {
        const [blocker, prerequisite, closedPrerequisite] = await Promise.all([
          f.blockerIn(from),
          f.blockerIn('TRIAGED'),
          f.blockerIn('REJECTED'),
        ]);
        for (const dependsOnId of [prerequisite.id, closedPrerequisite.id]) {
          await server.ok(DEPEND, { input: { blockerId: blocker.id, dependsOnId } }, steering());
        }
        const current = await f.get(blocker.id);
        expect(current.version).toBe(blocker.version + 2);
        for (const viewer of ['ADMIN', 'STEERING', 'OWNER'] as const) {
          expect(await available(blocker.id, viewer)).not.toContain('RESOLVED');
        }
        expect(await available(blocker.id, 'STEERING')).toContain('PRIORITISED');
        const audit = await auditCount(server, blocker.key);
        for (const viewer of ['STEERING', 'OWNER'] as const) {
          expectError(
            await f.attempt(current, 'RESOLVED', { resolution: RESOLUTION }, bearer[viewer]),
            'PREREQUISITE_OPEN',
          );
        }
        expect(await f.get(blocker.id)).toMatchObject({ status: from, version: current.version });
        expect(await auditCount(server, blocker.key)).toBe(audit);

        // Once every prerequisite is closed (REJECTED counts as closed) the move goes through.
        await f.move(prerequisite, 'REJECTED');
        expect(await available(blocker.id, 'OWNER')).toContain('RESOLVED');
        const resolved = await f.move(current, 'RESOLVED', { resolution: RESOLUTION }, bearer.OWNER);
        expect(resolved.status).toBe('RESOLVED');
      },
    );

    it.each<[Status, Status]>([
      ['REPORTED', 'TRIAGED'],
      ['TRIAGED', 'DUPLICATE'],
      ['PRIORITISED', 'ESCALATED'],
      ['IN_PROGRESS', 'RESOLVED'],
      ['ESCALATED', 'IN_PROGRESS'],
      ['RESOLVED', 'TRIAGED'],
      ['WITHDRAWN', 'TRIAGED'],
    ])('%s -> %s with a stale expectedVersion is CONFLICT and changes nothing', async (from, to) => {
      const need = await freshNeed();
      const blocker = await f.blockerIn(from, { needIds: [need] });
      const input = await f.inputsFor(from, to);
      const original = input.duplicateOfId ? await f.get(input.duplicateOfId) : null;
      const stateBefore = await needState(need);
      const audit = await auditCount(server, blocker.key);
      // Older and newer than the stored version (versions start at 1, and 0 is not a valid input).
      const stale = [blocker.version - 1, blocker.version + 1, blocker.version + 7].filter((v) => v >= 1);
      for (const expectedVersion of stale) {
        expectError(await f.attempt(blocker, to, { ...input, expectedVersion }, steering()), 'CONFLICT');
      }
      const still = await f.get(blocker.id);
      const kept = (b: BlockerView) => [b.status, b.version, b.statusChangedAt, b.resolution, b.duplicateOf];
      expect(kept(still)).toEqual(kept(blocker));
      expect(await auditCount(server, blocker.key)).toBe(audit);
      expect(await needState(need)).toEqual(stateBefore);
      if (original) {
        const now = await server.ok<any>(LINKS, { id: original.id }, steering());
        expect(now.blocker.version).toBe(original.version);
        expect(now.blocker.affectedNeeds.nodes.map((n: { id: string }) => n.id)).not.toContain(need);
      }
      expect((await f.move(blocker, to, input)).status).toBe(to);
    });
  });

  describe('audit trail', () => {
    it('every move writes one blocker.transitioned event with from, to and reason in its own transaction', async () => {
      const need = await freshNeed();
      let blocker = await f.report({ needIds: [need] });
      const route: Array<[Status, Viewer]> = [
        ['TRIAGED', 'STEERING'],
        ['PRIORITISED', 'STEERING'],
        ['ESCALATED', 'ADMIN'],
        ['IN_PROGRESS', 'OWNER'],
        ['ESCALATED', 'STEERING'],
        ['PRIORITISED', 'STEERING'],
        ['IN_PROGRESS', 'STEERING'],
        ['RESOLVED', 'OWNER'],
        ['TRIAGED', 'STEERING'],
        ['REJECTED', 'STEERING'],
        ['TRIAGED', 'ADMIN'],
        ['WITHDRAWN', 'REPORTER'],
        ['TRIAGED', 'STEERING'],
      ];
      let count = await auditCount(server, blocker.key);
      expect(count).toBe(1);
      for (const [to, viewer] of route) {
        const from = blocker.status;
        const input = await f.inputsFor(from, to);
        // A reason given where none is required is recorded as well.
        input.reason ??= to === 'PRIORITISED' ? 'Past in het programma' : undefined;
        blocker = await f.move(blocker, to, input, bearer[viewer]);
        count += 1;
        expect(await auditCount(server, blocker.key)).toBe(count);
        const row = await blockerRow(server, blocker.key);
        const { rows } = await server.db.query(
          `SELECT e.action, e.changes, e.reason, e.xmin::text AS xmin, u.subject,
                  e.at = b.status_changed_at AS same_clock
             FROM audit_event e JOIN blocker b ON b.id = e.blocker_id LEFT JOIN app_user u ON u.id = e.actor_id
            WHERE e.blocker_id = $1 ORDER BY e.id DESC LIMIT 1`,
          [row.id],
        );
        const event = rows[0];
        expect(event).toMatchObject({
          action: 'blocker.transitioned',
          reason: input.reason ?? null,
          subject: SUBJECT[viewer],
          // now() is the transaction's start: the event and the status change share one clock ...
          same_clock: true,
          // ... and one transaction id.
          xmin: row.xmin,
        });
        expect(event.changes).toContainEqual({ field: 'status', from, to });
        expect(row).toMatchObject({ status: to, version: blocker.version });
      }
      const events = await history(blocker.id);
      expect(events.totalCount).toBe(1 + route.length);
      expect(events.nodes.map((e) => e.action)).toEqual([
        ...route.map(() => 'blocker.transitioned'),
        'blocker.reported',
      ]);
    });
  });

  describe('reopening', () => {
    it.each(CLOSED)('%s -> TRIAGED keeps the key, the history and the links', async (closed) => {
      const [blocker, closedPrerequisite, original] = await Promise.all([
        f.blockerIn(closed === 'RESOLVED' || closed === 'DUPLICATE' ? 'PRIORITISED' : 'TRIAGED'),
        f.blockerIn('REJECTED'),
        f.report(),
      ]);
      const extraNeed = await freshNeed();
      await server.ok(LINK, { input: { blockerId: blocker.id, needId: extraNeed } }, bearer.REPORTER);
      await server.ok(
        DEPEND,
        { input: { blockerId: blocker.id, dependsOnId: closedPrerequisite.id } },
        steering(),
      );
      await server.ok(
        ENDORSE,
        { input: { blockerId: blocker.id, note: 'Raakt ons ook' } },
        token('STEWARD', { sub: 'wf-steward-duo', org: oinOf('DUO') }),
      );
      await server.ok(COMMENT, { input: { blockerId: blocker.id, body: 'Eerste opmerking' } }, steering());
      let current = await f.get(blocker.id);
      if (closed === 'RESOLVED') {
        current = await f.move(current, 'IN_PROGRESS');
      }
      const before = (await server.ok<any>(LINKS, { id: blocker.id }, steering())).blocker;
      expect(before.affectedNeeds.totalCount).toBe(2);

      const input: MoveInput =
        closed === 'DUPLICATE'
          ? { duplicateOfId: original.id }
          : closed === 'RESOLVED'
            ? { resolution: RESOLUTION }
            : { reason: 'Sluiten' };
      current = await f.move(current, closed, input);
      const reopened = await f.move(current, 'TRIAGED', { reason: 'Toch niet opgelost' });
      expect(reopened).toMatchObject({ id: blocker.id, key: blocker.key, status: 'TRIAGED', open: true });
      expect(reopened.version).toBe(before.version + 2);
      expect(reopened.resolution).toBeNull();
      expect(reopened.duplicateOf).toBeNull();

      const after = (await server.ok<any>(LINKS, { id: blocker.id }, steering())).blocker;
      expect(after.key).toBe(before.key);
      // History accumulates: every earlier event is still there, plus the close and the reopen.
      expect(after.history.totalCount).toBe(before.history.totalCount + 2);
      expect(after.history.nodes.slice(2)).toEqual(before.history.nodes);
      expect(after.history.nodes[0]).toMatchObject({
        action: 'blocker.transitioned',
        reason: 'Toch niet opgelost',
      });
      expect(after.comments).toEqual(before.comments);
      if (closed !== 'DUPLICATE') {
        expect(after.dependsOn).toEqual(before.dependsOn);
        expect(after.affectedNeeds).toEqual(before.affectedNeeds);
        expect(after.endorsements).toEqual(before.endorsements);
      } else {
        // A duplicate's needs, endorsements and dependencies moved to its original at the merge
        // (brief, DUPLICATE; docs/workflow.md): reopening it does not take them back.
        expect(after.dependsOn).toEqual([]);
        expect(after.affectedNeeds.totalCount).toBe(0);
        expect(after.endorsements).toEqual([]);
        const o = (await server.ok<any>(LINKS, { id: original.id }, steering())).blocker;
        expect(o.dependsOn).toEqual(before.dependsOn);
      }
    });
  });

  describe('derived scores', () => {
    const SCORE = `
      query Score($id: ID!) {
        blocker(id: $id) { effort priority { score factors { name value weight contribution } } }
      }`;
    const factors = async (id: string): Promise<Record<string, number>> => {
      const data = await server.ok<any>(SCORE, { id }, steering());
      const list: Array<{ name: string; value: number; weight: number; contribution: number }> =
        data.blocker.priority.factors;
      // The stored score is the sum of the contributions over the effort divisor (M: 1.5).
      const sum = list.reduce((acc, x) => acc + x.weight * x.value, 0);
      expect(data.blocker.priority.score).toBeCloseTo((100 * sum) / 1.5, 1);
      return Object.fromEntries(list.map((x) => [x.name, x.value]));
    };

    it('a move recomputes the scores of blockers on the same need and of its prerequisites', async () => {
      const need = await freshNeed();
      const extra = { effort: 'M' };
      const [x, y, prerequisite] = await Promise.all([
        f.blockerIn('TRIAGED', { needIds: [need], extra }),
        f.blockerIn('TRIAGED', { needIds: [need], extra }),
        f.blockerIn('TRIAGED', { extra }),
      ]);
      await server.ok(DEPEND, { input: { blockerId: x.id, dependsOnId: prerequisite.id } }, steering());
      // The need waits on both: resolving y alone frees nothing; one blocker (x) waits on the prerequisite.
      expect((await factors(y.id)).unblocks).toBe(0);
      expect((await factors(prerequisite.id)).dependents).toBeCloseTo(0.2, 4);

      const closed = await f.move(await f.get(x.id), 'REJECTED');
      expect((await factors(y.id)).unblocks).toBeCloseTo(0.1, 4);
      expect((await factors(prerequisite.id)).dependents).toBe(0);

      await f.move(closed, 'TRIAGED');
      expect((await factors(y.id)).unblocks).toBe(0);
      expect((await factors(prerequisite.id)).dependents).toBeCloseTo(0.2, 4);
    });
  });

  describe('concurrent moves', () => {
    it('two moves on the same version: exactly one wins, the other is CONFLICT and writes nothing', async () => {
      const pairs = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const blocker = await f.blockerIn('PRIORITISED');
          const audit = await auditCount(server, blocker.key);
          // Both moves are in the table from PRIORITISED and from where the other one leads.
          const [a, b] = await Promise.all([
            f.attempt(blocker, 'ESCALATED', { reason: 'Naar de minister' }, steering()),
            f.attempt(blocker, 'IN_PROGRESS', {}, bearer.OWNER),
          ]);
          return { blocker, audit, a, b };
        }),
      );
      for (const { blocker, audit, a, b } of pairs) {
        const codes = [a, b].map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
        expect(codes).toEqual(['CONFLICT', 'OK']);
        const winner = (a.errors ? b : a).data!.transitionBlocker;
        expect(await f.get(blocker.id)).toMatchObject({
          status: winner.status,
          version: blocker.version + 1,
        });
        expect(await auditCount(server, blocker.key)).toBe(audit + 1);
      }
    });

    it('a confidential blocker does not exist for viewers who may not see it', async () => {
      const blocker = await f.blockerIn('TRIAGED', { extra: { confidential: true } });
      for (const viewer of ['UNINVOLVED', 'ANALYST'] as const) {
        expect(
          (await server.gql<any>(AVAILABLE, { id: blocker.id }, bearer[viewer])).data?.blocker,
        ).toBeNull();
        for (const to of ['PRIORITISED', 'REJECTED', 'RESOLVED'] as const) {
          expectError(
            await f.attempt(blocker, to, { reason: 'x', resolution: RESOLUTION }, bearer[viewer]),
            'NOT_FOUND',
          );
        }
      }
      // The reporting and owning stewards see it and get the usual answers.
      expectError(await f.attempt(blocker, 'PRIORITISED', {}, bearer.OWNER), 'FORBIDDEN');
      expect(await available(blocker.id, 'REPORTER')).toEqual(['WITHDRAWN']);
      expect((await f.get(blocker.id)).version).toBe(blocker.version);
    });

    it('closing ranked blockers while steering decisions are made keeps agenda ranks unique and gapless', async () => {
      const DECIDE = `
        mutation Decide($input: SteeringDecisionInput!) {
          recordSteeringDecision(input: $input) { id version priority { rank } }
        }`;
      const decide = (b: { id: string; version: number }, rank: number) =>
        server.gql<any>(
          DECIDE,
          {
            input: {
              blockerId: b.id,
              expectedVersion: b.version,
              level: 'MEDIUM',
              rank,
              rationale: 'Op de agenda',
            },
          },
          steering(),
        );
      const agenda = async (): Promise<number[]> => {
        const { rows } = await server.db.query(
          'SELECT priority_rank AS rank FROM blocker WHERE priority_rank IS NOT NULL ORDER BY 1',
        );
        return rows.map((r: { rank: number }) => r.rank);
      };
      // Without one lock for every change of ranks, this interleaving leaves gaps and duplicate ranks
      // (refused at commit) and deadlocks.
      for (let round = 0; round < 4; round++) {
        const reported = await Promise.all(Array.from({ length: 12 }, () => f.report()));
        const fresh = reported.slice(6);
        // Six go to the end of the agenda (in parallel: decisions queue for the agenda).
        const ranked: BlockerView[] = await Promise.all(
          reported.slice(0, 6).map(async (b) => {
            const res = await decide(b, 1000);
            expect(res.errors).toBeUndefined();
            return { ...b, version: res.data.recordSteeringDecision.version };
          }),
        );
        expect(await agenda()).toEqual(Array.from({ length: 6 * (round + 1) }, (_, k) => k + 1));
        const results = await Promise.all([
          ...ranked.map((b) => f.attempt(b, 'REJECTED', { reason: 'Buiten scope' }, steering())),
          ...fresh.map((b, i) => decide(b, i % 2 ? 1000 : 1 + i)),
        ]);
        expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK')).toEqual(results.map(() => 'OK'));
        const ranks = await agenda();
        expect(ranks).toEqual(ranks.map((_, i) => i + 1));
        for (const b of ranked) expect((await f.get(b.id)).status).toBe('REJECTED');
      }
    });
  });

  describe('need states', () => {
    it.each<Status>(['RESOLVED', 'REJECTED', 'WITHDRAWN'])(
      'a need is REQUESTED once its last open blocker closes (%s) and BLOCKED again on reopen',
      async (closing) => {
        const need = await freshNeed();
        const first = await f.blockerIn('TRIAGED', { needIds: [need] });
        expect(await needState(need)).toEqual({ state: 'BLOCKED', open: [first.id] });
        let second = await f.blockerIn(closing === 'RESOLVED' ? 'IN_PROGRESS' : 'TRIAGED', {
          needIds: [need],
        });
        expect(await needState(need)).toEqual({ state: 'BLOCKED', open: [first.id, second.id].sort() });

        // One of two open blockers closes: still BLOCKED.
        const firstClosed = await f.move(first, 'REJECTED');
        expect(await needState(need)).toEqual({ state: 'BLOCKED', open: [second.id] });
        // The last one closes: REQUESTED.
        second = await f.move(second, closing);
        expect(await needState(need)).toEqual({ state: 'REQUESTED', open: [] });
        // Reopened: BLOCKED again; and both reopened, then both closed again.
        second = await f.move(second, 'TRIAGED');
        expect(await needState(need)).toEqual({ state: 'BLOCKED', open: [second.id] });
        const firstAgain = await f.move(firstClosed, 'TRIAGED');
        expect(await needState(need)).toEqual({ state: 'BLOCKED', open: [first.id, second.id].sort() });
        await f.move(second, 'WITHDRAWN', undefined, bearer.REPORTER);
        expect((await needState(need)).state).toBe('BLOCKED');
        await f.move(firstAgain, 'REJECTED');
        expect(await needState(need)).toEqual({ state: 'REQUESTED', open: [] });
      },
    );

    it('DUPLICATE hands its needs to the open original, which then decides their state', async () => {
      const [needA, needB] = [await freshNeed(), await freshNeed()];
      const [duplicate, original] = await Promise.all([
        f.blockerIn('PRIORITISED', { needIds: [needA] }),
        f.blockerIn('TRIAGED', { needIds: [needB] }),
      ]);
      await f.move(duplicate, 'DUPLICATE', { duplicateOfId: original.id });
      expect(await needState(needA)).toEqual({ state: 'BLOCKED', open: [original.id] });
      expect(await needState(needB)).toEqual({ state: 'BLOCKED', open: [original.id] });
      const closed = await f.move(await f.get(original.id), 'REJECTED');
      expect(await needState(needA)).toEqual({ state: 'REQUESTED', open: [] });
      expect(await needState(needB)).toEqual({ state: 'REQUESTED', open: [] });
      await f.move(closed, 'TRIAGED');
      expect(await needState(needA)).toEqual({ state: 'BLOCKED', open: [original.id] });
      expect(await needState(needB)).toEqual({ state: 'BLOCKED', open: [original.id] });
    });

    it('all open statuses block a need and all closed ones free it', async () => {
      const cases = await Promise.all(
        STATUSES.map(async (status) => {
          const need = await freshNeed();
          const blocker = await f.blockerIn(status, { needIds: [need] });
          return { status, state: (await needState(need)).state, blocker };
        }),
      );
      for (const c of cases) {
        // A duplicate's need moved to its (open) original, so it stays BLOCKED.
        const want = OPEN.includes(c.status) || c.status === 'DUPLICATE' ? 'BLOCKED' : 'REQUESTED';
        expect(`${c.status}: ${c.state}`).toBe(`${c.status}: ${want}`);
      }
    });
  });
});
