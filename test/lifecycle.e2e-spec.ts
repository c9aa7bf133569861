/**
 * The whole life of one blocker, as the people of the brief live it: a steward of UWV reports it, a
 * steward of another provider endorses it, the steering group triages, decides and names an owner,
 * the owner's steward works on it and resolves it, the steering group reopens it. An analyst watches
 * every step, may change nothing, and sees nothing lost or doubled.
 */
import { codeOf, TestServer, token } from './support/server';
import { needIds, oinOf, providerIds } from './support/demo';

const SUB = {
  uwv: 'life-steward-uwv',
  amsterdam: 'life-steward-amsterdam',
  szw: 'life-steward-szw',
  steering: 'life-steering',
  analyst: 'life-analyst',
};

const VIEW = `
  query View($id: ID!) {
    blocker(id: $id) {
      id key status open version availableTransitions
      reportedBy { subject } reportingProvider { id } owner { id }
      endorsements { provider { id } user { subject } note }
      priority { level rank rationale decidedAt }
      resolution { kind summary reference resolvedAt }
      affectedNeeds { totalCount nodes { id state } }
      history(first: 50) {
        totalCount
        nodes { action reason actor { subject } entityId changes { field from to } }
      }
    }
  }`;

interface View {
  id: string;
  key: string;
  status: string;
  open: boolean;
  version: number;
  availableTransitions: string[];
  reportedBy: { subject: string } | null;
  reportingProvider: { id: string };
  owner: { id: string } | null;
  endorsements: Array<{ provider: { id: string }; user: { subject: string } | null; note: string | null }>;
  priority: { level: string | null; rank: number | null; rationale: string | null; decidedAt: string | null };
  resolution: { kind: string; summary: string; reference: string | null; resolvedAt: string } | null;
  affectedNeeds: { totalCount: number; nodes: Array<{ id: string; state: string }> };
  history: {
    totalCount: number;
    nodes: Array<{
      action: string;
      reason: string | null;
      actor: { subject: string } | null;
      entityId: string;
      changes: Array<{ field: string; from: unknown; to: unknown }>;
    }>;
  };
}

const NEED_STATE = `query Need($id: ID!) { node(id: $id) { ... on DataNeed { state } } }`;

const M = {
  report: `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key version } } }`,
  endorse: `mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id version } }`,
  withdrawEndorsement: `mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id version } }`,
  transition: `mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id status version } }`,
  decide: `mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id status version } }`,
  update: `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`,
  comment: `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`,
  depend: `mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id version } }`,
  link: `mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id version } }`,
  unlink: `mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id version } }`,
};

/** The statuses each status can move to in the brief's table (for someone). */
const NEXT: Record<string, string[]> = {
  REPORTED: ['TRIAGED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'],
  TRIAGED: ['REJECTED', 'DUPLICATE', 'WITHDRAWN', 'PRIORITISED'],
  PRIORITISED: ['DUPLICATE', 'IN_PROGRESS', 'ESCALATED'],
  IN_PROGRESS: ['ESCALATED', 'PRIORITISED', 'RESOLVED'],
  ESCALATED: ['IN_PROGRESS', 'PRIORITISED', 'RESOLVED'],
  RESOLVED: ['TRIAGED'],
  REJECTED: ['TRIAGED'],
  DUPLICATE: ['TRIAGED'],
  WITHDRAWN: ['TRIAGED'],
};

interface Expected {
  action: string;
  reason: string | null;
  actor: { subject: string };
}

describe('the life of a blocker, seen by a steward, the steering group and an analyst', () => {
  let server: TestServer;
  let t: Record<keyof typeof SUB, string>;
  let p: Record<string, string>;
  let n: Record<string, string>;
  let id: string;
  let key: string;
  let other: string;
  /** What the history must hold, newest first: one entry per mutation made. */
  const history: Expected[] = [];
  let version = 0;

  const view = async (bearer = t.analyst): Promise<View> =>
    (await server.ok<{ blocker: View }>(VIEW, { id }, bearer)).blocker;

  const needState = async (needId: string): Promise<string> =>
    (await server.ok<any>(NEED_STATE, { id: needId }, t.analyst)).node.state;

  /** After every mutation: exactly one more event, exactly one more version, needs as given. */
  async function expectStep(mutation: Expected, states: { N9: string; N18: string }): Promise<View> {
    history.unshift(mutation);
    version += 1;
    const v = await view();
    expect(v.key).toBe(key);
    expect(v.version).toBe(version);
    expect(v.history.totalCount).toBe(history.length);
    expect(v.history.nodes.map((e) => ({ action: e.action, reason: e.reason, actor: e.actor }))).toEqual(
      history,
    );
    expect(new Set(v.history.nodes.map((e) => e.entityId))).toEqual(new Set([id]));
    expect(v.availableTransitions).toEqual([]);
    expect(v.affectedNeeds.totalCount).toBe(2);
    expect(
      Object.fromEntries(v.affectedNeeds.nodes.map((x) => [x.id === n.N9 ? 'N9' : 'N18', x.state])),
    ).toEqual(states);
    expect({ N9: await needState(n.N9), N18: await needState(n.N18) }).toEqual(states);
    return v;
  }

  /** The analyst tries every kind of change; each is FORBIDDEN and nothing moves. */
  async function analystIsRefused(): Promise<void> {
    const before = await view(t.steering);
    const attempts: Array<[string, Record<string, unknown>]> = [
      ...NEXT[before.status].map((to): [string, Record<string, unknown>] => [
        M.transition,
        {
          input: {
            id,
            expectedVersion: before.version,
            to,
            reason: 'analyst',
            resolution: { kind: 'OTHER', summary: 'analyst' },
            ...(to === 'DUPLICATE' ? { duplicateOfId: other } : {}),
          },
        },
      ]),
      [M.update, { input: { id, expectedVersion: before.version, title: 'Analyst title' } }],
      [M.update, { input: { id, expectedVersion: before.version, ownerId: p.BZK } }],
      [
        M.decide,
        {
          input: {
            blockerId: id,
            expectedVersion: before.version,
            level: 'LOW',
            rank: 1,
            rationale: 'Analist beslist mee',
          },
        },
      ],
      [M.endorse, { input: { blockerId: id, note: 'analyst' } }],
      [M.withdrawEndorsement, { id }],
      [M.comment, { input: { blockerId: id, body: 'analyst' } }],
      [M.depend, { input: { blockerId: id, dependsOnId: other } }],
      [M.link, { input: { blockerId: id, needId: n.N7 } }],
      [M.unlink, { input: { blockerId: id, needId: n.N18 } }],
      [
        M.report,
        {
          input: {
            title: 'Analyst report',
            description: 'x',
            type: 'DATA_QUALITY',
            severity: 'LOW',
            affectedNeedIds: [n.N9],
          },
        },
      ],
    ];
    const codes = await Promise.all(
      attempts.map(async ([query, variables]) => codeOf(await server.gql(query, variables, t.analyst))),
    );
    expect(codes).toEqual(attempts.map(() => 'FORBIDDEN'));
    const after = await view(t.steering);
    expect(after).toEqual(before);
    expect(
      (await server.ok<any>(`{ blockers(first: 100) { totalCount } }`, {}, t.steering)).blockers.totalCount,
    ).toBe(blockerCount);
  }

  let blockerCount: number;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    t = {
      uwv: token('STEWARD', { sub: SUB.uwv, name: 'Steward UWV', org: oinOf('UWV') }),
      amsterdam: token('STEWARD', { sub: SUB.amsterdam, name: 'Steward Amsterdam', org: oinOf('AMSTERDAM') }),
      szw: token('STEWARD', { sub: SUB.szw, name: 'Steward SZW', org: oinOf('SZW') }),
      steering: token('STEERING', { sub: SUB.steering, name: 'Stuurgroep' }),
      analyst: token('ANALYST', { sub: SUB.analyst, name: 'Analist' }),
    };
    p = await providerIds(server, t.analyst);
    n = await needIds(server, t.analyst);
    // KNP-14 (demo, TRIAGED) is open on N18; nothing open is on N9 (KNP-7 was rejected).
    other = (await server.ok<any>(`{ blocker(key: "KNP-14") { id } }`, {}, t.analyst)).blocker.id;
    expect({ N9: await needState(n.N9), N18: await needState(n.N18) }).toEqual({
      N9: 'REQUESTED',
      N18: 'BLOCKED',
    });
  });

  afterAll(async () => server?.stop());

  it('1. a steward of UWV reports it on needs where UWV is the supplier', async () => {
    const data = await server.ok<any>(
      M.report,
      {
        input: {
          title: 'Polisadministratie niet ontsloten voor gemeenten',
          description:
            'Municipalities cannot get income data from the Polisadministratie for the Participatiewet.',
          type: 'NO_INTERFACE',
          severity: 'HIGH',
          affectedNeedIds: [n.N9, n.N18],
          impact: { manualHoursPerYear: 4000 },
          effort: 'M',
        },
      },
      t.uwv,
    );
    id = data.reportBlocker.blocker.id;
    key = data.reportBlocker.blocker.key;
    expect(key).toMatch(/^KNP-\d+$/);
    blockerCount = (await server.ok<any>(`{ blockers(first: 100) { totalCount } }`, {}, t.steering)).blockers
      .totalCount;
    const v = await expectStep(
      { action: 'blocker.reported', reason: null, actor: { subject: SUB.uwv } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v).toMatchObject({
      status: 'REPORTED',
      open: true,
      reportedBy: { subject: SUB.uwv },
      reportingProvider: { id: p.UWV },
      owner: null,
      endorsements: [],
      resolution: null,
      priority: { level: null, rank: null, rationale: null, decidedAt: null },
    });
    // The reporter may withdraw it; nobody but STEERING triages.
    expect((await view(t.uwv)).availableTransitions).toEqual(['WITHDRAWN']);
    expect([...(await view(t.steering)).availableTransitions].sort()).toEqual([
      'DUPLICATE',
      'REJECTED',
      'TRIAGED',
      'WITHDRAWN',
    ]);
    await analystIsRefused();
  });

  it('2. a steward of Amsterdam endorses it', async () => {
    await server.ok(
      M.endorse,
      { input: { blockerId: id, note: 'Ook wij missen deze gegevens' } },
      t.amsterdam,
    );
    const v = await expectStep(
      { action: 'blocker.endorsed', reason: null, actor: { subject: SUB.amsterdam } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v.endorsements).toEqual([
      {
        provider: { id: p.AMSTERDAM },
        user: { subject: SUB.amsterdam },
        note: 'Ook wij missen deze gegevens',
      },
    ]);
    expect(v.status).toBe('REPORTED');
    await analystIsRefused();
  });

  it('3. the steering group triages it', async () => {
    const moved = await server.ok<any>(
      M.transition,
      { input: { id, expectedVersion: version, to: 'TRIAGED' } },
      t.steering,
    );
    expect(moved.transitionBlocker).toEqual({ id, status: 'TRIAGED', version: version + 1 });
    const v = await expectStep(
      { action: 'blocker.transitioned', reason: null, actor: { subject: SUB.steering } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v.history.nodes[0].changes).toContainEqual({ field: 'status', from: 'REPORTED', to: 'TRIAGED' });
    expect(v.status).toBe('TRIAGED');
    await analystIsRefused();
  });

  it('4. the steering group records a decision, which prioritises it', async () => {
    const rationale = 'Raakt veel gemeenten; eerst oplossen';
    const decided = await server.ok<any>(
      M.decide,
      { input: { blockerId: id, expectedVersion: version, level: 'HIGH', rank: 1, rationale } },
      t.steering,
    );
    expect(decided.recordSteeringDecision).toEqual({ id, status: 'PRIORITISED', version: version + 1 });
    const v = await expectStep(
      { action: 'steering.decided', reason: rationale, actor: { subject: SUB.steering } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v.status).toBe('PRIORITISED');
    expect(v.priority).toMatchObject({ level: 'HIGH', rank: 1, rationale });
    expect(Date.parse(v.priority.decidedAt!)).not.toBeNaN();
    expect(v.history.nodes[0].changes).toContainEqual({
      field: 'status',
      from: 'TRIAGED',
      to: 'PRIORITISED',
    });
    await analystIsRefused();
  });

  it('5. the steering group names the owner (SZW)', async () => {
    // Without an owner nobody can start the work.
    expect((await view(t.steering)).availableTransitions).not.toContain('IN_PROGRESS');
    const updated = await server.ok<any>(
      M.update,
      { input: { id, expectedVersion: version, ownerId: p.SZW } },
      t.steering,
    );
    expect(updated.updateBlocker.version).toBe(version + 1);
    const v = await expectStep(
      { action: 'blocker.updated', reason: null, actor: { subject: SUB.steering } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v.owner).toEqual({ id: p.SZW });
    expect(v.history.nodes[0].changes).toEqual([{ field: 'owner', from: null, to: p.SZW }]);
    expect(v.status).toBe('PRIORITISED');
    expect((await view(t.szw)).availableTransitions).toEqual(['IN_PROGRESS']);
    expect((await view(t.uwv)).availableTransitions).toEqual([]);
    await analystIsRefused();
  });

  it("6. the owner's steward starts the work", async () => {
    await server.ok(M.transition, { input: { id, expectedVersion: version, to: 'IN_PROGRESS' } }, t.szw);
    const v = await expectStep(
      { action: 'blocker.transitioned', reason: null, actor: { subject: SUB.szw } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v.status).toBe('IN_PROGRESS');
    expect(v.priority).toMatchObject({ level: 'HIGH', rank: 1 });
    expect((await view(t.szw)).availableTransitions).toEqual(['RESOLVED']);
    await analystIsRefused();
  });

  it("7. the owner's steward resolves it; N9 flows again, N18 waits on another blocker", async () => {
    const resolution = {
      kind: 'TECHNICAL_PROVISION',
      summary: 'Polis API via Suwinet',
      reference: 'BKWI-2026-17',
    };
    // Without a resolution it is refused and nothing changes.
    const refused = await server.gql(
      M.transition,
      { input: { id, expectedVersion: version, to: 'RESOLVED' } },
      t.szw,
    );
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect((await view()).version).toBe(version);

    await server.ok(
      M.transition,
      { input: { id, expectedVersion: version, to: 'RESOLVED', resolution } },
      t.szw,
    );
    const v = await expectStep(
      { action: 'blocker.transitioned', reason: null, actor: { subject: SUB.szw } },
      { N9: 'REQUESTED', N18: 'BLOCKED' },
    );
    expect(v).toMatchObject({ status: 'RESOLVED', open: false, resolution });
    expect(Date.parse(v.resolution!.resolvedAt)).not.toBeNaN();
    // A closed blocker leaves the agenda; the level and rationale stay.
    expect(v.priority).toMatchObject({ level: 'HIGH', rank: null });
    expect((await view(t.szw)).availableTransitions).toEqual([]);
    expect((await view(t.steering)).availableTransitions).toEqual(['TRIAGED']);
    await analystIsRefused();
  });

  it('8. the steering group reopens it with a reason; key, history and links stay', async () => {
    const refused = await server.gql(
      M.transition,
      { input: { id, expectedVersion: version, to: 'TRIAGED' } },
      t.steering,
    );
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const reason = 'Gemeenten melden dat de koppeling nog niet werkt';
    await server.ok(
      M.transition,
      { input: { id, expectedVersion: version, to: 'TRIAGED', reason } },
      t.steering,
    );
    const v = await expectStep(
      { action: 'blocker.transitioned', reason, actor: { subject: SUB.steering } },
      { N9: 'BLOCKED', N18: 'BLOCKED' },
    );
    expect(v).toMatchObject({
      key,
      status: 'TRIAGED',
      open: true,
      owner: { id: p.SZW },
      reportingProvider: { id: p.UWV },
      reportedBy: { subject: SUB.uwv },
    });
    expect(v.endorsements.map((e) => e.provider.id)).toEqual([p.AMSTERDAM]);
    expect(v.history.nodes[0].changes).toContainEqual({ field: 'status', from: 'RESOLVED', to: 'TRIAGED' });
    await analystIsRefused();
  });

  it('the whole story: eight mutations, eight events, version 8, newest first', async () => {
    const v = await view();
    expect(v.version).toBe(8);
    expect(v.history.totalCount).toBe(8);
    expect(v.history.nodes.map((e) => `${e.action} by ${e.actor?.subject}`)).toEqual([
      `blocker.transitioned by ${SUB.steering}`,
      `blocker.transitioned by ${SUB.szw}`,
      `blocker.transitioned by ${SUB.szw}`,
      `blocker.updated by ${SUB.steering}`,
      `steering.decided by ${SUB.steering}`,
      `blocker.transitioned by ${SUB.steering}`,
      `blocker.endorsed by ${SUB.amsterdam}`,
      `blocker.reported by ${SUB.uwv}`,
    ]);
    const statuses = v.history.nodes
      .flatMap((e) => e.changes.filter((c) => c.field === 'status'))
      .map((c) => `${String(c.from)}->${String(c.to)}`);
    expect(statuses).toEqual([
      'RESOLVED->TRIAGED',
      'IN_PROGRESS->RESOLVED',
      'PRIORITISED->IN_PROGRESS',
      'TRIAGED->PRIORITISED',
      'REPORTED->TRIAGED',
      'null->REPORTED',
    ]);
    // The same by key, and the same in the database: nothing lost, nothing doubled.
    const byKey = await server.ok<any>(
      `query($key: String!) { blocker(key: $key) { id } }`,
      { key },
      t.analyst,
    );
    expect(byKey.blocker.id).toBe(id);
    const { rows } = await server.db.query(
      `SELECT b.version, (SELECT count(*)::int FROM audit_event e WHERE e.blocker_id = b.id) AS events,
              (SELECT count(*)::int FROM endorsement e WHERE e.blocker_id = b.id) AS endorsements,
              (SELECT count(*)::int FROM blocker_need bn WHERE bn.blocker_id = b.id) AS needs
         FROM blocker b WHERE b.number = $1`,
      [Number(key.slice(4))],
    );
    expect(rows[0]).toEqual({ version: 8, events: 8, endorsements: 1, needs: 2 });
  });
});
