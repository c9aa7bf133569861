/**
 * The audit trail over HTTP: every blocker mutation writes its event in the transaction of its change,
 * Blocker.history lists the events newest first with their actor, and a failing mutation leaves
 * neither an event nor a change. The database is read directly (through the harness's pool) to see
 * exactly what was written.
 */
import { needIds, providerIds, reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const person = (role: 'ADMIN' | 'STEERING' | 'ANALYST', name: string): string =>
  token(role, { name, sub: `audit-${name.toLowerCase().replace(/\W+/g, '-')}` });
const admin = person('ADMIN', 'Ada Admin');
const steering = person('STEERING', 'Stella Steering');
const analyst = person('ANALYST', 'Anna Analyst');

const orgOf = (key: string): string => {
  const p = reference.providers.find((x) => x.key === key);
  if (!p) throw new Error(`no provider ${key} in the reference data`);
  return p.oin ?? p.tooiUri;
};
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), name: `Steward ${key}`, sub: `audit-steward-${key.toLowerCase()}` });

const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key version } } }`;
const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`;
const TRANSITION = `mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id version status } }`;
const LINK = `mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id version } }`;
const UNLINK = `mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id version } }`;
const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const ENDORSE = `mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id version } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id version } }`;
const ADD_DEP = `mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id version } }`;
const REMOVE_DEP = `mutation($input: BlockerDependencyInput!) { removeBlockerDependency(input: $input) { id version } }`;
const DECIDE = `mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id version status } }`;
const HISTORY = `query($key: String, $first: Int, $after: String) { blocker(key: $key) {
  id
  history(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id at action entityType entityId reason actor { name subject roles } changes { field from to } }
  }
} }`;

/** Tables a blocker mutation may touch. */
const TABLES: Record<string, string> = {
  blocker: 'id',
  blocker_need: 'blocker_id, need_id',
  endorsement: 'blocker_id, provider_id',
  blocker_dependency: 'blocker_id, depends_on_id',
  comment: 'id',
  data_need: 'id',
  audit_event: 'id',
};

describe('audit trail', () => {
  let server: TestServer;
  let P: Record<string, string>;
  let N: Record<string, string>;

  /** Every row of every table a mutation may touch, as a digest per table. */
  const fingerprint = async (): Promise<Record<string, { rows: number; digest: string }>> => {
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const [table, order] of Object.entries(TABLES)) {
      const { rows } = await server.db.query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY ${order
          .split(', ')
          .map((c) => `t.${c}`)
          .join(', ')}), '')) AS digest FROM ${table} t`,
      );
      out[table] = rows[0];
    }
    return out;
  };
  const lastEventId = async (): Promise<string> =>
    (await server.db.query('SELECT coalesce(max(id), 0)::text AS id FROM audit_event')).rows[0].id;
  const eventsAfter = async (id: string) =>
    (
      await server.db.query(
        `SELECT e.action, e.entity_type, e.entity_id::text, e.blocker_id::text, e.reason, u.name AS actor
         FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.id > $1 ORDER BY e.id`,
        [id],
      )
    ).rows;
  const blocker = async (key: string): Promise<any> =>
    (
      await server.ok<any>(
        'query($key: String) { blocker(key: $key) { id key version status } }',
        { key },
        admin,
      )
    ).blocker;
  const report = async (bearer: string, input: Record<string, unknown>): Promise<any> =>
    (
      await server.ok<any>(
        REPORT,
        {
          input: {
            title: 'Gap for the audit trail',
            description: 'Reported by the audit test.',
            type: 'NO_AGREEMENT',
            severity: 'MEDIUM',
            ...input,
          },
        },
        bearer,
      )
    ).reportBlocker.blocker;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    P = await providerIds(server, admin);
    N = await needIds(server, admin);
  });
  afterAll(async () => server?.stop());

  describe('every mutation writes its event', () => {
    let A: any;
    /** The events written so far for A, oldest first: action and actor name. */
    const written: Array<{ action: string; actor: string }> = [];

    /** Run a mutation; expect exactly the given events (in any order) and nothing else. */
    const expectEvents = async (
      run: () => Promise<unknown>,
      expected: Array<{ action: string; actor: string; entityType?: string; reason?: string | null }>,
    ): Promise<void> => {
      const since = await lastEventId();
      await run();
      const events = await eventsAfter(since);
      const byAction = (a: { action: string }, b: { action: string }) => a.action.localeCompare(b.action);
      expect(
        events
          .map((e: any) => ({
            action: e.action,
            actor: e.actor,
            entityType: e.entity_type,
            reason: e.reason,
          }))
          .sort(byAction),
      ).toEqual(expected.map((e) => ({ entityType: 'Blocker', reason: null, ...e })).sort(byAction));
    };

    it('reportBlocker: blocker.reported', async () => {
      await expectEvents(async () => {
        A = await report(steward('SVB'), { affectedNeedIds: [N.N2], ownerId: P.UWV });
      }, [{ action: 'blocker.reported', actor: 'Steward SVB' }]);
      written.push({ action: 'blocker.reported', actor: 'Steward SVB' });
      const [event] = await eventsAfter('0').then((all) =>
        all.filter((e: any) => e.entity_id === localId(A.id)),
      );
      expect(event).toMatchObject({ action: 'blocker.reported', blocker_id: localId(A.id) });
    });

    it.each([
      [
        'updateBlocker',
        'blocker.updated',
        'Steward SVB',
        () =>
          server.ok(
            UPDATE,
            { input: { id: A.id, expectedVersion: A.version, severity: 'HIGH' } },
            steward('SVB'),
          ),
      ],
      [
        'linkAffectedNeed',
        'blocker.need_linked',
        'Stella Steering',
        () => server.ok(LINK, { input: { blockerId: A.id, needId: N.N1 } }, steering),
      ],
      [
        'unlinkAffectedNeed',
        'blocker.need_unlinked',
        'Ada Admin',
        () => server.ok(UNLINK, { input: { blockerId: A.id, needId: N.N1 } }, admin),
      ],
      [
        'endorseBlocker',
        'blocker.endorsed',
        'Steward BD',
        () => server.ok(ENDORSE, { input: { blockerId: A.id, note: 'Us too' } }, steward('BD')),
      ],
      [
        'withdrawEndorsement',
        'blocker.endorsement_withdrawn',
        'Steward BD',
        () => server.ok(WITHDRAW, { id: A.id }, steward('BD')),
      ],
      [
        'addBlockerDependency',
        'blocker.dependency_added',
        'Steward UWV',
        async () =>
          server.ok(
            ADD_DEP,
            { input: { blockerId: A.id, dependsOnId: (await blocker('KNP-10')).id } },
            steward('UWV'),
          ),
      ],
      [
        'removeBlockerDependency',
        'blocker.dependency_removed',
        'Stella Steering',
        async () =>
          server.ok(
            REMOVE_DEP,
            { input: { blockerId: A.id, dependsOnId: (await blocker('KNP-10')).id } },
            steering,
          ),
      ],
      [
        'transitionBlocker',
        'blocker.transitioned',
        'Stella Steering',
        () =>
          server.ok(TRANSITION, { input: { id: A.id, expectedVersion: A.version, to: 'TRIAGED' } }, steering),
      ],
    ])('%s: %s', async (_name, action, actor, run) => {
      const before = A.version;
      await expectEvents(run, [{ action, actor }]);
      written.push({ action, actor });
      A = await blocker(A.key);
      // Every change to the blocker or its relations raises its version by one.
      expect(A.version).toBe(before + 1);
    });

    it('addComment: comment.added, about the comment, in the blocker’s history', async () => {
      let commentId = '';
      await expectEvents(async () => {
        commentId = (
          await server.ok<any>(COMMENT, { input: { blockerId: A.id, body: 'Noted' } }, steward('UTRECHT'))
        ).addComment.id;
      }, [{ action: 'comment.added', actor: 'Steward UTRECHT', entityType: 'Comment' }]);
      written.push({ action: 'comment.added', actor: 'Steward UTRECHT' });
      const { rows } = await server.db.query(
        'SELECT entity_id::text, blocker_id::text FROM audit_event ORDER BY id DESC LIMIT 1',
      );
      expect(rows[0]).toEqual({ entity_id: localId(commentId), blocker_id: localId(A.id) });
    });

    it('recordSteeringDecision: steering.decided, with the rationale as its reason', async () => {
      await expectEvents(
        () =>
          server.ok(
            DECIDE,
            {
              input: {
                blockerId: A.id,
                expectedVersion: A.version,
                level: 'HIGH',
                rank: 1,
                rationale: 'Blocks AIO outreach',
              },
            },
            steering,
          ),
        [{ action: 'steering.decided', actor: 'Stella Steering', reason: 'Blocks AIO outreach' }],
      );
      written.push({ action: 'steering.decided', actor: 'Stella Steering' });
      A = await blocker(A.key);
      expect(A.status).toBe('PRIORITISED');
    });

    it('a transition with a reason records it', async () => {
      await expectEvents(
        () =>
          server.ok(
            TRANSITION,
            {
              input: {
                id: A.id,
                expectedVersion: A.version,
                to: 'ESCALATED',
                reason: 'Needs a change in the law',
              },
            },
            admin,
          ),
        [{ action: 'blocker.transitioned', actor: 'Ada Admin', reason: 'Needs a change in the law' }],
      );
      written.push({ action: 'blocker.transitioned', actor: 'Ada Admin' });
      A = await blocker(A.key);
    });

    it('marking a duplicate writes the transition of the duplicate and the merge into the original', async () => {
      const D = await report(steward('SVB'), {
        affectedNeedIds: [N.N2, N.N20],
        title: 'Gap duplicate for the trail',
      });
      const original = await blocker('KNP-18'); // REPORTED, on N20 and N17
      await expectEvents(
        () =>
          server.ok(
            TRANSITION,
            { input: { id: D.id, expectedVersion: D.version, to: 'DUPLICATE', duplicateOfId: original.id } },
            steering,
          ),
        [
          { action: 'blocker.transitioned', actor: 'Stella Steering' },
          { action: 'blocker.merged', actor: 'Stella Steering' },
        ],
      );
      const duplicateHistory = (await server.ok<any>(HISTORY, { key: D.key }, admin)).blocker.history.nodes;
      expect(duplicateHistory[0].action).toBe('blocker.transitioned');
      expect(duplicateHistory[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'REPORTED', to: 'DUPLICATE' },
          { field: 'duplicateOf', from: null, to: original.id },
        ]),
      );
      const originalHistory = (await server.ok<any>(HISTORY, { key: 'KNP-18' }, admin)).blocker.history.nodes;
      expect(originalHistory[0]).toMatchObject({ action: 'blocker.merged', entityId: original.id });
      expect(originalHistory[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'duplicates', from: null, to: D.id },
          { field: 'affectedNeeds', from: null, to: [N.N2] },
        ]),
      );
    });

    it('Blocker.history lists them all, newest first, each with its actor', async () => {
      const data = await server.ok<any>(HISTORY, { key: A.key, first: 50 }, analyst);
      const history = data.blocker.history;
      expect(history.totalCount).toBe(written.length);
      expect(history.nodes.map((e: any) => ({ action: e.action, actor: e.actor.name }))).toEqual(
        [...written].reverse(),
      );
      const times = history.nodes.map((e: any) => Date.parse(e.at));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeLessThanOrEqual(times[i - 1]);
      for (const event of history.nodes) {
        expect(event.actor.subject).toMatch(/^audit-/);
        if (event.entityType === 'Blocker') expect(event.entityId).toBe(A.id);
      }
      expect(history.nodes.find((e: any) => e.actor.name === 'Stella Steering').actor.roles).toEqual([
        'STEERING',
      ]);
      // The update's event says what changed, field by field.
      const updated = history.nodes.find((e: any) => e.action === 'blocker.updated');
      expect(updated.changes).toEqual([{ field: 'severity', from: 'MEDIUM', to: 'HIGH' }]);
      // node(id) finds each event again.
      const node = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { ... on AuditEvent { id action actor { name } } } }',
        { id: updated.id },
        analyst,
      );
      expect(node.node).toEqual({
        id: updated.id,
        action: 'blocker.updated',
        actor: { name: 'Steward SVB' },
      });
      // Paged three at a time: the same events in the same order.
      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await server.ok<any>(HISTORY, { key: A.key, first: 3, after }, analyst)).blocker
          .history;
        paged.push(...page.nodes.map((e: any) => e.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(paged).toEqual(history.nodes.map((e: any) => e.id));
    });

    it('the demo data’s own history is there, oldest last', async () => {
      const data = await server.ok<any>(HISTORY, { key: 'KNP-5' }, analyst);
      const nodes = data.blocker.history.nodes;
      expect(nodes[nodes.length - 1]).toMatchObject({
        action: 'blocker.reported',
        actor: { name: 'Demo data loader' },
      });
      expect(nodes[0]).toMatchObject({ action: 'blocker.transitioned' });
      expect(nodes[0].changes).toEqual(
        expect.arrayContaining([{ field: 'status', from: 'IN_PROGRESS', to: 'RESOLVED' }]),
      );
    });
  });

  describe('a failing mutation leaves no event and no change', () => {
    let F: any;
    let knp: Record<string, any>;
    const AGENDA =
      '{ blockers(first: 100, filter: { open: true }, orderBy: { field: RANK, direction: ASC }) { nodes { key priority { rank } } } }';
    const agenda = async (): Promise<Array<[string, number | null]>> =>
      (await server.ok<any>(AGENDA, {}, admin)).blockers.nodes
        .filter((b: any) => b.priority.rank !== null)
        .map((b: any) => [b.key, b.priority.rank]);
    let agendaBefore: Array<[string, number | null]>;

    beforeAll(async () => {
      // F: reported by Den Haag on N17 and N14, owned by BZK, endorsed by SVB, waiting for KNP-10, escalated.
      F = await report(steward('DENHAAG'), {
        affectedNeedIds: [N.N17, N.N14],
        ownerId: P.BZK,
        title: 'Gap failure cases',
      });
      await server.ok(ENDORSE, { input: { blockerId: F.id } }, steward('SVB'));
      knp = Object.fromEntries(
        await Promise.all(
          ['KNP-5', 'KNP-6', 'KNP-10', 'KNP-11', 'KNP-13', 'KNP-14'].map(async (k) => [k, await blocker(k)]),
        ),
      );
      await server.ok(ADD_DEP, { input: { blockerId: F.id, dependsOnId: knp['KNP-10'].id } }, steering);
      for (const to of ['TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']) {
        F = await blocker(F.key);
        await server.ok(
          TRANSITION,
          { input: { id: F.id, expectedVersion: F.version, to, reason: 'Set-up' } },
          steering,
        );
      }
      // Agenda: KNP-6 first, KNP-14 second.
      for (const [k, rank] of [
        ['KNP-6', 1],
        ['KNP-14', 2],
      ] as const) {
        const b = await blocker(k);
        await server.ok(
          DECIDE,
          {
            input: { blockerId: b.id, expectedVersion: b.version, level: 'HIGH', rank, rationale: 'Set-up' },
          },
          steering,
        );
      }
      F = await blocker(F.key);
      agendaBefore = await agenda();
      knp = Object.fromEntries(
        await Promise.all(
          ['KNP-5', 'KNP-6', 'KNP-10', 'KNP-11', 'KNP-13', 'KNP-14'].map(async (k) => [k, await blocker(k)]),
        ),
      );
    });

    const unknownProvider = Buffer.from('Provider:00000000-0000-4000-8000-000000000000').toString(
      'base64url',
    );
    type Case = [string, string, () => Promise<GraphQLResponse>];
    const cases = (): Case[] => [
      [
        'report by an analyst',
        'FORBIDDEN',
        () =>
          server.gql(
            REPORT,
            {
              input: {
                title: 'Gap analyst',
                description: 'x',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [N.N17],
              },
            },
            analyst,
          ),
      ],
      [
        'report with a short title',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            REPORT,
            {
              input: {
                title: 'Gap',
                description: 'x',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [N.N17],
              },
            },
            steward('DENHAAG'),
          ),
      ],
      [
        'report with an unknown owner',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            REPORT,
            {
              input: {
                title: 'Gap unknown owner',
                description: 'x',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [N.N17],
                ownerId: unknownProvider,
              },
            },
            steward('DENHAAG'),
          ),
      ],
      [
        'update with a stale version',
        'CONFLICT',
        () =>
          server.gql(
            UPDATE,
            { input: { id: F.id, expectedVersion: F.version - 1, title: 'Gap stale' } },
            steering,
          ),
      ],
      [
        'update by an uninvolved steward',
        'FORBIDDEN',
        () =>
          server.gql(
            UPDATE,
            { input: { id: F.id, expectedVersion: F.version, title: 'Gap hijack' } },
            steward('UTRECHT'),
          ),
      ],
      [
        'update to an unknown owner',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            UPDATE,
            { input: { id: F.id, expectedVersion: F.version, ownerId: unknownProvider, title: 'Gap other' } },
            steering,
          ),
      ],
      // The link is inserted before the version is checked: only the transaction undoes it.
      [
        'link with a stale version',
        'CONFLICT',
        () =>
          server.gql(
            LINK,
            { input: { blockerId: F.id, needId: N.N13, expectedVersion: F.version - 1 } },
            steering,
          ),
      ],
      [
        'unlink with a stale version',
        'CONFLICT',
        () =>
          server.gql(
            UNLINK,
            { input: { blockerId: F.id, needId: N.N17, expectedVersion: F.version - 1 } },
            steering,
          ),
      ],
      [
        'link a need twice',
        'BAD_USER_INPUT',
        () => server.gql(LINK, { input: { blockerId: F.id, needId: N.N17 } }, steering),
      ],
      [
        'unlink the last need',
        'BAD_USER_INPUT',
        () => server.gql(UNLINK, { input: { blockerId: knp['KNP-10'].id, needId: N.N12 } }, steering),
      ],
      [
        'link by an analyst',
        'FORBIDDEN',
        () => server.gql(LINK, { input: { blockerId: F.id, needId: N.N13 } }, analyst),
      ],
      [
        'a move the table lacks',
        'INVALID_TRANSITION',
        () =>
          server.gql(
            TRANSITION,
            { input: { id: F.id, expectedVersion: F.version, to: 'TRIAGED', reason: 'x' } },
            steering,
          ),
      ],
      [
        'a move without its reason',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            TRANSITION,
            { input: { id: knp['KNP-6'].id, expectedVersion: knp['KNP-6'].version, to: 'ESCALATED' } },
            steering,
          ),
      ],
      [
        'a move with a stale version',
        'CONFLICT',
        () =>
          server.gql(
            TRANSITION,
            { input: { id: F.id, expectedVersion: F.version - 1, to: 'PRIORITISED' } },
            steering,
          ),
      ],
      [
        'a move by someone not allowed',
        'FORBIDDEN',
        () =>
          server.gql(
            TRANSITION,
            { input: { id: F.id, expectedVersion: F.version, to: 'PRIORITISED' } },
            steward('DENHAAG'),
          ),
      ],
      [
        'resolving with an open prerequisite',
        'PREREQUISITE_OPEN',
        () =>
          server.gql(
            TRANSITION,
            {
              input: {
                id: F.id,
                expectedVersion: F.version,
                to: 'RESOLVED',
                resolution: { kind: 'GUIDANCE', summary: 'Guidance published' },
              },
            },
            steward('BZK'),
          ),
      ],
      [
        'a duplicate of a closed blocker',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            TRANSITION,
            {
              input: {
                id: knp['KNP-13'].id,
                expectedVersion: knp['KNP-13'].version,
                to: 'DUPLICATE',
                duplicateOfId: knp['KNP-5'].id,
              },
            },
            steering,
          ),
      ],
      [
        'a dependency that closes a cycle',
        'DEPENDENCY_CYCLE',
        () =>
          server.gql(
            ADD_DEP,
            { input: { blockerId: knp['KNP-14'].id, dependsOnId: knp['KNP-13'].id } },
            steering,
          ),
      ],
      [
        'a dependency on itself',
        'BAD_USER_INPUT',
        () => server.gql(ADD_DEP, { input: { blockerId: F.id, dependsOnId: F.id } }, steering),
      ],
      [
        'removing a dependency that does not exist',
        'BAD_USER_INPUT',
        () => server.gql(REMOVE_DEP, { input: { blockerId: F.id, dependsOnId: knp['KNP-11'].id } }, steering),
      ],
      [
        'endorsing twice',
        'CONFLICT',
        () => server.gql(ENDORSE, { input: { blockerId: F.id } }, steward('SVB')),
      ],
      [
        'endorsing one’s own report',
        'FORBIDDEN',
        () => server.gql(ENDORSE, { input: { blockerId: F.id } }, steward('DENHAAG')),
      ],
      [
        'withdrawing an endorsement that does not exist',
        'BAD_USER_INPUT',
        () => server.gql(WITHDRAW, { id: F.id }, steward('UTRECHT')),
      ],
      [
        'a comment by an analyst',
        'FORBIDDEN',
        () => server.gql(COMMENT, { input: { blockerId: F.id, body: 'Analysts read' } }, analyst),
      ],
      [
        'an empty comment',
        'BAD_USER_INPUT',
        () => server.gql(COMMENT, { input: { blockerId: F.id, body: '' } }, steering),
      ],
      [
        'a steering decision by a steward',
        'FORBIDDEN',
        () =>
          server.gql(
            DECIDE,
            {
              input: {
                blockerId: F.id,
                expectedVersion: F.version,
                level: 'LOW',
                rationale: 'Not mine to decide',
              },
            },
            steward('DENHAAG'),
          ),
      ],
      // The agenda makes room (KNP-6 and KNP-14 move down) before the version is checked.
      [
        'a stale steering decision that takes rank 1',
        'CONFLICT',
        () =>
          server.gql(
            DECIDE,
            {
              input: {
                blockerId: knp['KNP-11'].id,
                expectedVersion: knp['KNP-11'].version - 1,
                level: 'URGENT',
                rank: 1,
                rationale: 'Too late',
              },
            },
            steering,
          ),
      ],
      [
        'a rank for a closed blocker',
        'BAD_USER_INPUT',
        () =>
          server.gql(
            DECIDE,
            {
              input: {
                blockerId: knp['KNP-5'].id,
                expectedVersion: knp['KNP-5'].version,
                level: 'LOW',
                rank: 1,
                rationale: 'Closed already',
              },
            },
            steering,
          ),
      ],
    ];

    it.each(cases().map(([name, code], i) => [name, code, i] as const))('%s: %s', async (_name, code, i) => {
      const [, , run] = cases()[i];
      const before = await fingerprint();
      const res = await run();
      expect(codeOf(res)).toBe(code);
      expect(await fingerprint()).toEqual(before);
    });

    it('leaves the agenda as it was after the refused decision', async () => {
      expect((await blocker('KNP-6')).version).toBe(knp['KNP-6'].version);
      expect(agendaBefore.slice(0, 2)).toEqual([
        ['KNP-6', 1],
        ['KNP-14', 2],
      ]);
      expect(await agenda()).toEqual(agendaBefore);
    });

    it.each([
      [
        'blocker.updated',
        () =>
          server.gql(
            UPDATE,
            { input: { id: F.id, expectedVersion: F.version, severity: 'CRITICAL' } },
            steering,
          ),
      ],
      [
        'blocker.need_linked',
        () => server.gql(LINK, { input: { blockerId: F.id, needId: N.N13 } }, steering),
      ],
      [
        'blocker.transitioned',
        () =>
          server.gql(
            TRANSITION,
            { input: { id: F.id, expectedVersion: F.version, to: 'PRIORITISED' } },
            steering,
          ),
      ],
      ['blocker.endorsed', () => server.gql(ENDORSE, { input: { blockerId: F.id } }, steward('UWV'))],
      [
        'comment.added',
        () => server.gql(COMMENT, { input: { blockerId: F.id, body: 'Lost with its event' } }, steering),
      ],
      [
        'steering.decided',
        () =>
          server.gql(
            DECIDE,
            {
              input: {
                blockerId: knp['KNP-11'].id,
                expectedVersion: knp['KNP-11'].version,
                level: 'LOW',
                rank: 1,
                rationale: 'Lost with its event',
              },
            },
            steering,
          ),
      ],
      [
        'blocker.reported',
        () =>
          server.gql(
            REPORT,
            {
              input: {
                title: 'Gap lost with its event',
                description: 'x',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [N.N14],
              },
            },
            steward('CJIB'),
          ),
      ],
    ])('undoes the change when its %s event cannot be written', async (action, run) => {
      // Make the event fail to insert: the change it describes must roll back with it.
      await server.db.query(
        `ALTER TABLE audit_event ADD CONSTRAINT e2e_refuse_event CHECK (action <> '${action}') NOT VALID`,
      );
      try {
        const before = await fingerprint();
        const res = await run();
        expect(res.errors?.length).toBeGreaterThan(0);
        expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
        expect(await fingerprint()).toEqual(before);
      } finally {
        await server.db.query('ALTER TABLE audit_event DROP CONSTRAINT e2e_refuse_event');
      }
      // Without the obstacle the same mutation succeeds and writes its event.
      const since = await lastEventId();
      const res = await run();
      expect(res.errors).toBeUndefined();
      expect((await eventsAfter(since)).map((e: any) => e.action)).toContain(action);
      F = await blocker(F.key);
      knp['KNP-11'] = await blocker('KNP-11');
    });
  });
});
