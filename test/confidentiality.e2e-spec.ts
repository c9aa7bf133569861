/**
 * Confidential blockers over HTTP. The demo's KNP-19 is confidential: reported by Rotterdam, owned by
 * the Autoriteit Persoonsgegevens, affecting N3 (Amsterdam <- Belastingdienst) and N5 (Rotterdam <-
 * Belastingdienst). ADMIN, STEERING and stewards of Rotterdam, AP, Amsterdam and the Belastingdienst
 * see it; for everyone else it does not exist, on every path, and mutations on it answer NOT_FOUND.
 */
import { needIds, providerIds, reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const admin = token('ADMIN', { sub: 'conf-admin' });
const steering = token('STEERING', { sub: 'conf-steering' });
const analyst = token('ANALYST', { sub: 'conf-analyst' });

const orgOf = (key: string): string => {
  const p = reference.providers.find((x) => x.key === key);
  if (!p) throw new Error(`no provider ${key} in the reference data`);
  return p.oin ?? p.tooiUri;
};
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), name: `Steward ${key}`, sub: `conf-steward-${key.toLowerCase()}` });

/** Who sees KNP-19 and why. */
const SEERS: Array<[string, string]> = [
  ['ADMIN', admin],
  ['STEERING', steering],
  ['steward of the reporting provider (Rotterdam, also requester of N5)', steward('ROTTERDAM')],
  ['steward of the owner (AP)', steward('AP')],
  ['steward of a requester (Amsterdam, N3)', steward('AMSTERDAM')],
  ['steward of the supplier (Belastingdienst, by TOOI URI)', steward('BD')],
];
/** Who does not: an analyst, and stewards with no part in it (FIN is the Belastingdienst's parent). */
const OTHERS: Array<[string, string]> = [
  ['ANALYST', analyst],
  ['steward of Utrecht', steward('UTRECHT')],
  ['steward of SVB', steward('SVB')],
  ['steward of FIN (parent of the Belastingdienst, owner of a dependent blocker)', steward('FIN')],
];

const UNKNOWN_BLOCKER = Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url');

const BLOCKER_VIEW = `query($id: ID, $key: String) { blocker(id: $id, key: $key) {
  id key version confidential
  dependsOn { key } dependents { key } duplicates { key }
  comments { totalCount nodes { id body } }
  history { totalCount nodes { id action } }
} }`;

describe('confidential blockers', () => {
  let server: TestServer;
  let P: Record<string, string>;
  let N: Record<string, string>;
  let K19: any;
  /** A confidential blocker by Rotterdam, merged into KNP-3 as its duplicate. */
  let C2: any;
  let commentId: string;
  let eventId: string;
  let KNP3: any;
  let KNP10: any;

  const view = async (bearer: string, vars: Record<string, unknown>): Promise<any> =>
    (await server.ok<any>(BLOCKER_VIEW, vars, bearer)).blocker;
  const keysOfList = async (bearer: string, filter: Record<string, unknown> = {}) => {
    const data = await server.ok<any>(
      'query($filter: BlockerFilter) { blockers(first: 100, filter: $filter) { totalCount nodes { key } } }',
      { filter },
      bearer,
    );
    return {
      total: data.blockers.totalCount as number,
      keys: data.blockers.nodes.map((n: any) => n.key) as string[],
    };
  };
  const snapshot = async () => {
    const q = async (sql: string, params: unknown[] = []) => (await server.db.query(sql, params)).rows;
    const id = Buffer.from(K19.id, 'base64url').toString('utf8').split(':')[1];
    return {
      events: await q('SELECT count(*)::int AS n FROM audit_event'),
      row: await q('SELECT row_to_json(b) AS r FROM blocker b WHERE id = $1', [id]),
      needs: await q('SELECT need_id FROM blocker_need WHERE blocker_id = $1 ORDER BY need_id', [id]),
      endorsements: await q(
        'SELECT provider_id FROM endorsement WHERE blocker_id = $1 ORDER BY provider_id',
        [id],
      ),
      comments: await q('SELECT count(*)::int AS n FROM comment WHERE blocker_id = $1', [id]),
      dependencies: await q('SELECT * FROM blocker_dependency ORDER BY blocker_id, depends_on_id'),
      needStates: await q('SELECT id, state FROM data_need ORDER BY id'),
    };
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    P = await providerIds(server, admin);
    N = await needIds(server, admin);
    K19 = await view(steering, { key: 'KNP-19' });
    KNP3 = await view(steering, { key: 'KNP-3' });
    KNP10 = await view(steering, { key: 'KNP-10' });
    // KNP-3 waits for KNP-19, which waits for KNP-10.
    const dep = 'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }';
    await server.ok(dep, { input: { blockerId: KNP3.id, dependsOnId: K19.id } }, steering);
    await server.ok(dep, { input: { blockerId: K19.id, dependsOnId: KNP10.id } }, steering);
    commentId = (
      await server.ok<any>(
        'mutation($input: AddCommentInput!) { addComment(input: $input) { id } }',
        { input: { blockerId: K19.id, body: 'Only for the parties involved' } },
        steward('ROTTERDAM'),
      )
    ).addComment.id;
    // A second confidential one, by Rotterdam on N5, marked a duplicate of KNP-3.
    const reported = await server.ok<any>(
      `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key version confidential } } }`,
      {
        input: {
          title: 'Rotterdam pilot data sharing on hold',
          description: 'Confidential while the pilot runs.',
          type: 'LEGAL_UNCERTAINTY',
          severity: 'MEDIUM',
          affectedNeedIds: [N.N5],
          confidential: true,
        },
      },
      steward('ROTTERDAM'),
    );
    C2 = reported.reportBlocker.blocker;
    expect(C2.confidential).toBe(true);
    await server.ok(
      'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { status } }',
      { input: { id: C2.id, expectedVersion: C2.version, to: 'DUPLICATE', duplicateOfId: KNP3.id } },
      steering,
    );
    K19 = await view(steering, { key: 'KNP-19' });
    eventId = K19.history.nodes[K19.history.nodes.length - 1].id;
  });
  afterAll(async () => server?.stop());

  it('is confidential in the demo data and wired up as the tests expect', () => {
    expect(K19).toMatchObject({
      key: 'KNP-19',
      confidential: true,
      dependsOn: [{ key: 'KNP-10' }],
      dependents: [{ key: 'KNP-3' }],
    });
    expect(K19.comments.totalCount).toBe(1);
    expect(K19.history.nodes.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['blocker.reported', 'comment.added', 'blocker.dependency_added']),
    );
  });

  describe.each(SEERS)('for %s', (_who, bearer) => {
    it('is there: by key, by id, as a node, in lists and counts, on its needs, with comments and history', async () => {
      const byKey = await view(bearer, { key: 'KNP-19' });
      expect(byKey).toMatchObject({ id: K19.id, confidential: true });
      expect(byKey.comments.nodes.map((c: any) => c.id)).toEqual([commentId]);
      expect(byKey.history.totalCount).toBe(K19.history.totalCount);
      expect((await view(bearer, { id: K19.id })).key).toBe('KNP-19');
      const node = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { id ... on Blocker { key } } }',
        { id: K19.id },
        bearer,
      );
      expect(node.node.key).toBe('KNP-19');
      expect((await keysOfList(bearer)).keys).toContain('KNP-19');
      expect((await keysOfList(bearer, { providerId: P.ROTTERDAM })).keys).toContain('KNP-19');
      for (const need of [N.N3, N.N5]) {
        const data = await server.ok<any>(
          'query($id: ID!) { node(id: $id) { ... on DataNeed { all: blockers { key } open: blockers(open: true) { key } } } }',
          { id: need },
          bearer,
        );
        expect(data.node.all.map((b: any) => b.key)).toContain('KNP-19');
        expect(data.node.open.map((b: any) => b.key)).toContain('KNP-19');
      }
      expect((await view(bearer, { key: 'KNP-3' })).dependsOn.map((b: any) => b.key)).toContain('KNP-19');
      expect((await view(bearer, { key: 'KNP-10' })).dependents.map((b: any) => b.key)).toContain('KNP-19');
      const comment = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { id ... on Comment { body } } }',
        { id: commentId },
        bearer,
      );
      expect(comment.node).toEqual({ id: commentId, body: 'Only for the parties involved' });
      const event = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { id ... on AuditEvent { action entityId } } }',
        { id: eventId },
        bearer,
      );
      expect(event.node).toEqual({ id: eventId, action: 'blocker.reported', entityId: K19.id });
    });
  });

  describe.each(OTHERS)('for %s', (_who, bearer) => {
    it('is absent from lists, and the counts leave it out', async () => {
      for (const filter of [
        {},
        { providerId: P.ROTTERDAM },
        { layer: ['LEGAL'] },
        { status: ['REPORTED'] },
        { open: true },
      ]) {
        const everything = await keysOfList(admin, filter);
        const mine = await keysOfList(bearer, filter);
        const hidden = new Set([K19.key, C2.key]);
        const expected = everything.keys.filter((k) => !hidden.has(k));
        expect({ filter, keys: mine.keys }).toEqual({ filter, keys: expected });
        expect({ filter, total: mine.total }).toEqual({ filter, total: expected.length });
      }
      // Paging sees no trace of it either.
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await server.ok<any>(
          'query($after: String) { blockers(first: 4, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) { pageInfo { hasNextPage endCursor } nodes { key } } }',
          { after },
          bearer,
        );
        seen.push(...data.blockers.nodes.map((n: any) => n.key));
        if (!data.blockers.pageInfo.hasNextPage) break;
        after = data.blockers.pageInfo.endCursor;
      }
      expect(seen).not.toContain('KNP-19');
      expect(seen).not.toContain(C2.key);
      expect(seen).toHaveLength((await keysOfList(admin)).total - 2);
    });

    it('is not found by key, id or node(id), nor is its comment or its history', async () => {
      expect(await view(bearer, { key: 'KNP-19' })).toBeNull();
      expect(await view(bearer, { id: K19.id })).toBeNull();
      expect(await view(bearer, { key: C2.key })).toBeNull();
      expect(await view(bearer, { id: C2.id })).toBeNull();
      for (const id of [K19.id, C2.id, commentId, eventId]) {
        const res = await server.gql('query($id: ID!) { node(id: $id) { id } }', { id }, bearer);
        expect(res.errors).toBeUndefined();
        expect({ id, node: res.data!.node }).toEqual({ id, node: null });
      }
    });

    it('is left out of its needs, and of the dependencies and duplicates of blockers that are visible', async () => {
      for (const need of [N.N3, N.N5]) {
        const data = await server.ok<any>(
          'query($id: ID!) { node(id: $id) { ... on DataNeed { state all: blockers { key } open: blockers(open: true) { key } closed: blockers(open: false) { key } } } }',
          { id: need },
          bearer,
        );
        const all = [...data.node.all, ...data.node.open, ...data.node.closed].map((b: any) => b.key);
        expect(all).not.toContain('KNP-19');
        expect(all).not.toContain(C2.key);
        expect(data.node.open.map((b: any) => b.key)).toContain('KNP-3');
        // The state is derived from every blocker; it says nothing about which.
        expect(data.node.state).toBe('BLOCKED');
      }
      const knp3 = await view(bearer, { key: 'KNP-3' });
      expect(knp3.dependsOn).toEqual([]);
      expect(knp3.duplicates).toEqual([]);
      const knp10 = await view(bearer, { key: 'KNP-10' });
      expect(knp10.dependents).toEqual([]);
    });

    it('still counts it in Provider.openBlockerCount, a number like everyone else’s', async () => {
      const query = 'query($id: ID!) { node(id: $id) { ... on Provider { openBlockerCount } } }';
      for (const provider of [P.ROTTERDAM, P.AP, P.BD]) {
        const mine = (await server.ok<any>(query, { id: provider }, bearer)).node.openBlockerCount;
        const all = (await server.ok<any>(query, { id: provider }, admin)).node.openBlockerCount;
        expect(Number.isInteger(mine)).toBe(true);
        expect(mine).toBe(all);
      }
      // AP owns only KNP-19.
      expect((await server.ok<any>(query, { id: P.AP }, bearer)).node.openBlockerCount).toBe(1);
    });
  });

  it('shows the confidential duplicate only to its reporter, STEERING and ADMIN once its needs moved away', async () => {
    for (const bearer of [admin, steering, steward('ROTTERDAM')])
      expect((await view(bearer, { key: 'KNP-3' })).duplicates.map((b: any) => b.key)).toEqual([C2.key]);
    // Its only need moved to KNP-3: Amsterdam and the Belastingdienst no longer have a part in it.
    for (const bearer of [steward('AMSTERDAM'), steward('BD'), steward('AP')]) {
      expect((await view(bearer, { key: 'KNP-3' })).duplicates).toEqual([]);
      expect(await view(bearer, { key: C2.key })).toBeNull();
    }
  });

  describe('possibleDuplicates of a new report', () => {
    const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { key } possibleDuplicates { key } } }`;
    const input = (needId: string) => ({
      title: 'Tax-debt signal experiment needs AP advice before roll-out nationally',
      description: 'Looks just like KNP-19.',
      type: 'PENDING_ADVICE',
      severity: 'HIGH',
      affectedNeedIds: [needId],
    });

    it('never name a blocker the reporter cannot see', async () => {
      // Utrecht requests N9: KNP-19's title matches, but Utrecht cannot see KNP-19.
      const res = await server.ok<any>(REPORT, { input: input(N.N9) }, steward('UTRECHT'));
      expect(res.reportBlocker.possibleDuplicates.map((b: any) => b.key)).not.toContain('KNP-19');
      expect(res.reportBlocker.possibleDuplicates).toEqual([]);
    });

    it('name it for those who can see it', async () => {
      const bySteering = await server.ok<any>(REPORT, { input: input(N.N9) }, steering);
      expect(bySteering.reportBlocker.possibleDuplicates.map((b: any) => b.key)).toContain('KNP-19');
      // Amsterdam requests N3, which KNP-19 and KNP-3 (both LEGAL) affect.
      const byAmsterdam = await server.ok<any>(REPORT, { input: input(N.N3) }, steward('AMSTERDAM'));
      const keys = byAmsterdam.reportBlocker.possibleDuplicates.map((b: any) => b.key);
      expect(keys[0]).toBe('KNP-19');
      expect(keys).toContain('KNP-3');
      expect(keys).not.toContain(byAmsterdam.reportBlocker.blocker.key);
    });
  });

  describe('mutations by someone who cannot see it', () => {
    const MUTATIONS: Array<[string, string, (id: string) => Record<string, unknown>]> = [
      [
        'updateBlocker',
        'mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id } }',
        (id) => ({ input: { id, expectedVersion: K19.version, title: 'Taken over by an outsider' } }),
      ],
      [
        'transitionBlocker (WITHDRAWN)',
        'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id } }',
        (id) => ({ input: { id, expectedVersion: K19.version, to: 'WITHDRAWN', reason: 'Outsider' } }),
      ],
      [
        'transitionBlocker (TRIAGED)',
        'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id } }',
        (id) => ({ input: { id, expectedVersion: K19.version, to: 'TRIAGED' } }),
      ],
      [
        'linkAffectedNeed',
        'mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, needId: N.N9 } }),
      ],
      [
        'unlinkAffectedNeed',
        'mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, needId: N.N3 } }),
      ],
      [
        'endorseBlocker',
        'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, note: 'us too' } }),
      ],
      [
        'withdrawEndorsement',
        'mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id } }',
        (id) => ({ id }),
      ],
      [
        'addComment',
        'mutation($input: AddCommentInput!) { addComment(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, body: 'Is anyone there?' } }),
      ],
      [
        'addBlockerDependency',
        'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, dependsOnId: KNP3.id } }),
      ],
      [
        'removeBlockerDependency',
        'mutation($input: BlockerDependencyInput!) { removeBlockerDependency(input: $input) { id } }',
        (id) => ({ input: { blockerId: id, dependsOnId: KNP10.id } }),
      ],
      [
        'recordSteeringDecision',
        'mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }',
        (id) => ({
          input: {
            blockerId: id,
            expectedVersion: K19.version,
            level: 'HIGH',
            rank: 1,
            rationale: 'Outsider decides',
          },
        }),
      ],
    ];

    it.each(OTHERS.filter(([, bearer]) => bearer !== analyst))(
      'answer NOT_FOUND to a %s and change nothing',
      async (_who, bearer) => {
        const before = await snapshot();
        for (const [name, mutation, vars] of MUTATIONS) {
          const res = await server.gql(mutation, vars(K19.id), bearer);
          // A steering decision is refused to every steward alike, whatever the blocker.
          const expected = name === 'recordSteeringDecision' ? 'FORBIDDEN' : 'NOT_FOUND';
          expect({ name, code: codeOf(res) }).toEqual({ name, code: expected });
          expect(JSON.stringify(res.errors)).not.toContain('Tax-debt');
        }
        expect(await snapshot()).toEqual(before);
      },
    );

    it.each(OTHERS)('answer a %s exactly as for a blocker that does not exist', async (_who, bearer) => {
      const before = await snapshot();
      for (const [name, mutation, vars] of MUTATIONS) {
        const real = await server.gql(mutation, vars(K19.id), bearer);
        const unknown = await server.gql(mutation, vars(UNKNOWN_BLOCKER), bearer);
        expect({ name, code: codeOf(real) }).toEqual({ name, code: codeOf(unknown) });
        expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codeOf(real));
        expect({ name, extensions: Object.keys(real.errors![0].extensions ?? {}).sort() }).toEqual({
          name,
          extensions: Object.keys(unknown.errors![0].extensions ?? {}).sort(),
        });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('answer naming it as a prerequisite exactly as naming a blocker that does not exist', async () => {
      // Utrecht reported KNP-8 and may change its dependencies, but KNP-19 does not exist for Utrecht.
      const knp8 = await view(steering, { key: 'KNP-8' });
      const before = await snapshot();
      const dep = 'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }';
      const real: GraphQLResponse = await server.gql(
        dep,
        { input: { blockerId: knp8.id, dependsOnId: K19.id } },
        steward('UTRECHT'),
      );
      const unknown: GraphQLResponse = await server.gql(
        dep,
        { input: { blockerId: knp8.id, dependsOnId: UNKNOWN_BLOCKER } },
        steward('UTRECHT'),
      );
      expect(codeOf(real)).toBe('BAD_USER_INPUT');
      expect(codeOf(real)).toBe(codeOf(unknown));
      expect(real.errors![0].extensions?.fields).toEqual(unknown.errors![0].extensions?.fields);
      expect(await snapshot()).toEqual(before);
    });

    it('never name it when a move on a visible blocker is refused because of it', async () => {
      const leaks = (res: GraphQLResponse): boolean => {
        const text = JSON.stringify(res.errors);
        return [K19.key, K19.id, 'Tax-debt'].some((s) => text.includes(s));
      };
      const before = await snapshot();
      // FIN owns KNP-3 (IN_PROGRESS), which waits for KNP-19: resolving it is refused.
      const knp3 = await view(steering, { key: 'KNP-3' });
      const resolve = (bearer: string) =>
        server.gql(
          'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id } }',
          {
            input: {
              id: knp3.id,
              expectedVersion: knp3.version,
              to: 'RESOLVED',
              resolution: { kind: 'GUIDANCE', summary: 'Guidance published' },
            },
          },
          bearer,
        );
      const byOwner = await resolve(steward('FIN'));
      expect(codeOf(byOwner)).toBe('PREREQUISITE_OPEN');
      expect(leaks(byOwner)).toBe(false);
      const bySteering = await resolve(steering);
      expect(codeOf(bySteering)).toBe('PREREQUISITE_OPEN');
      expect(bySteering.errors![0].extensions?.prerequisites).toEqual(['KNP-19']);
      // FIN owns KNP-10 too: KNP-10 -> KNP-3 would close KNP-10 <- KNP-19 <- KNP-3.
      const dependency = (bearer: string) =>
        server.gql(
          'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }',
          { input: { blockerId: KNP10.id, dependsOnId: knp3.id } },
          bearer,
        );
      const cycleForOwner = await dependency(steward('FIN'));
      expect(codeOf(cycleForOwner)).toBe('DEPENDENCY_CYCLE');
      expect(leaks(cycleForOwner)).toBe(false);
      expect(cycleForOwner.errors![0].extensions?.cycle).toHaveLength(4);
      const cycleForSteering = await dependency(steering);
      expect(cycleForSteering.errors![0].extensions?.cycle).toEqual(['KNP-10', 'KNP-3', 'KNP-19', 'KNP-10']);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('who counts as involved', () => {
    const LINK = 'mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id version } }';
    const UNLINK = 'mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id version } }';
    const UPDATE =
      'mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version confidential owner { id } } }';
    const sees = async (bearer: string): Promise<boolean> => (await view(bearer, { key: 'KNP-19' })) !== null;

    it('an endorsing steward sees it for as long as the endorsement stands', async () => {
      expect(await sees(steward('CJIB'))).toBe(false);
      expect(await sees(steward('RDW'))).toBe(false);
      // Linking N14 (CJIB <- RDW) involves both.
      await server.ok(LINK, { input: { blockerId: K19.id, needId: N.N14 } }, steering);
      expect(await sees(steward('CJIB'))).toBe(true);
      expect(await sees(steward('RDW'))).toBe(true);
      await server.ok(
        'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
        { input: { blockerId: K19.id } },
        steward('CJIB'),
      );
      await server.ok(UNLINK, { input: { blockerId: K19.id, needId: N.N14 } }, steering);
      expect(await sees(steward('RDW'))).toBe(false);
      expect(await sees(steward('CJIB'))).toBe(true);
      const listed = await keysOfList(steward('CJIB'), { providerId: P.CJIB });
      expect(listed.keys).toContain('KNP-19');
      // Withdrawn, the endorsement no longer shows it; a second withdrawal finds nothing.
      await server.ok(
        'mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id } }',
        { id: K19.id },
        steward('CJIB'),
      );
      expect(await sees(steward('CJIB'))).toBe(false);
      const again = await server.gql(
        'mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id } }',
        { id: K19.id },
        steward('CJIB'),
      );
      expect(codeOf(again)).toBe('NOT_FOUND');
    });

    it('the owner sees it; a former owner does not', async () => {
      let current = await view(steering, { key: 'KNP-19' });
      const version = async () =>
        (await server.ok<any>('query { blocker(key: "KNP-19") { version } }', {}, steering)).blocker.version;
      await server.ok(
        UPDATE,
        { input: { id: current.id, expectedVersion: await version(), ownerId: P.SZW } },
        steering,
      );
      expect(await sees(steward('SZW'))).toBe(true);
      expect(await sees(steward('AP'))).toBe(false);
      await server.ok(
        UPDATE,
        { input: { id: current.id, expectedVersion: await version(), ownerId: P.AP } },
        steward('ROTTERDAM'),
      );
      expect(await sees(steward('SZW'))).toBe(false);
      expect(await sees(steward('AP'))).toBe(true);
      current = await view(steering, { key: 'KNP-19' });
      expect(current.key).toBe('KNP-19');
    });

    it('made public it is there for everyone; confidential again it is gone', async () => {
      const version = async () =>
        (await server.ok<any>('query { blocker(key: "KNP-19") { version } }', {}, steering)).blocker.version;
      await server.ok(
        UPDATE,
        { input: { id: K19.id, expectedVersion: await version(), confidential: false } },
        steward('ROTTERDAM'),
      );
      expect(await sees(analyst)).toBe(true);
      expect(await sees(steward('UTRECHT'))).toBe(true);
      await server.ok(
        UPDATE,
        { input: { id: K19.id, expectedVersion: await version(), confidential: true } },
        steering,
      );
      expect(await sees(analyst)).toBe(false);
      expect(await sees(steward('UTRECHT'))).toBe(false);
    });

    it('a new confidential report is visible to exactly its parties', async () => {
      const res = await server.ok<any>(
        `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key confidential reportingProvider { id } } } }`,
        {
          input: {
            title: 'Student finance status withheld pending review',
            description: 'Confidential until the review is done.',
            type: 'CONSENT_REQUIRED',
            severity: 'LOW',
            affectedNeedIds: [N.N10],
            ownerId: P.BZK,
            confidential: true,
          },
        },
        steward('UTRECHT'),
      );
      const key = res.reportBlocker.blocker.key;
      expect(res.reportBlocker.blocker).toMatchObject({
        confidential: true,
        reportingProvider: { id: P.UTRECHT },
      });
      // N10: Utrecht <- DUO; owner BZK.
      for (const bearer of [admin, steering, steward('UTRECHT'), steward('DUO'), steward('BZK')])
        expect((await view(bearer, { key }))?.key).toBe(key);
      for (const bearer of [analyst, steward('ROTTERDAM'), steward('AP'), steward('SVB')])
        expect(await view(bearer, { key })).toBeNull();
    });
  });
});
