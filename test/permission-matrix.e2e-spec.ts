/**
 * The permission matrix: every query and every mutation of the contract, for six viewers (anonymous,
 * ADMIN, STEERING, ANALYST, a steward of an involved provider and a steward of an uninvolved one), on a
 * normal and on a confidential blocker. Allowed calls work; every other call is refused with the code
 * the brief gives (UNAUTHENTICATED, FORBIDDEN, or NOT_FOUND for a confidential blocker the viewer may
 * not see). Every response body a non-seer receives, errors included, is scanned for the confidential
 * titles, descriptions and comment texts.
 *
 * Fixtures: Rotterdam's steward is the involved steward (reporter of every fixture blocker, requester
 * of N5); Utrecht's steward is the uninvolved one. Each mutation call gets fresh fixtures, so every
 * cell of the matrix is independent of the others.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema } from 'graphql';
import { needIds, providerIds, reference } from './support/demo';
import { codeOf, GraphQLResponse, ROOT, TestServer, token } from './support/server';

type Viewer = 'anonymous' | 'ADMIN' | 'STEERING' | 'ANALYST' | 'stewardInvolved' | 'stewardUninvolved';
type Target = 'normal' | 'confidential' | 'none';
type Outcome = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

const VIEWERS: Viewer[] = [
  'anonymous',
  'ADMIN',
  'STEERING',
  'ANALYST',
  'stewardInvolved',
  'stewardUninvolved',
];
/** Who may see a confidential fixture: ADMIN, STEERING and the reporting steward (brief, Permissions). */
const SEERS: Viewer[] = ['ADMIN', 'STEERING', 'stewardInvolved'];

const orgOf = (key: string): string => {
  const p = reference.providers.find((x) => x.key === key)!;
  return p.oin ?? p.tooiUri;
};
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), name: `Steward ${key}`, sub: `matrix-steward-${key.toLowerCase()}` });

const BEARER: Record<Viewer, string | null> = {
  anonymous: null,
  ADMIN: token('ADMIN', { sub: 'matrix-admin' }),
  STEERING: token('STEERING', { sub: 'matrix-steering' }),
  ANALYST: token('ANALYST', { sub: 'matrix-analyst' }),
  stewardInvolved: steward('ROTTERDAM'),
  stewardUninvolved: steward('UTRECHT'),
};
const ADMIN = BEARER.ADMIN!;
const SVB_STEWARD = steward('SVB');

/** Marker in every confidential fixture's title, description and comment: never shown to a non-seer. */
const MARK = 'zqvertrouwelijk';
const SECRETS: string[] = [
  MARK,
  // KNP-19 of the demo data.
  'Tax-debt signal experiment needs AP advice before national roll-out',
  'draft advice request not yet public',
];

interface Ref {
  id: string;
  key: string;
  version: number;
}

const REF = 'id key version';

describe('permission matrix', () => {
  let server: TestServer;
  let P: Record<string, string>;
  let N: Record<string, string>;
  let fixtureCount = 0;
  let callsScanned = 0;
  /** Ids of confidential things (blockers, comments, audit events) for node(id) probes. */
  const hiddenIds: string[] = [];
  const hiddenKeys: string[] = [];
  let knp19: Ref;
  /** The query targets: a visible blocker that depends on a confidential one, and that one. */
  let visibleTarget: Ref;
  let secretTarget: Ref;

  /** Every call goes through here: non-seers' responses are scanned for confidential text. */
  const call = async (
    viewer: Viewer,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<any>> => {
    const res = await server.gql<any>(query, variables, BEARER[viewer]);
    if (!SEERS.includes(viewer)) {
      const body = JSON.stringify(res);
      callsScanned++;
      for (const secret of SECRETS) {
        if (body.toLowerCase().includes(secret.toLowerCase()))
          throw new Error(`${viewer} saw confidential text "${secret}": ${body.slice(0, 2000)}`);
      }
      for (const key of hiddenKeys) {
        if (new RegExp(`"${key}"`).test(body))
          throw new Error(`${viewer} saw confidential key ${key}: ${body.slice(0, 2000)}`);
      }
    }
    return res;
  };

  const admin = async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> =>
    server.ok<T>(query, variables, ADMIN);

  /** A fresh blocker reported by Rotterdam's steward on N5 (Rotterdam <- Belastingdienst), owned by AP. */
  const blocker = async (target: Target, needs: string[] = ['N5']): Promise<Ref> => {
    const n = ++fixtureCount;
    const confidential = target === 'confidential';
    const data = await server.ok<any>(
      `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { ${REF} } } }`,
      {
        input: {
          title: confidential ? `Geheim ${n} ${MARK} titel` : `Koppeling matrix ${n} ontbreekt`,
          description: confidential ? `Beschrijving ${MARK} ${n}` : `Openbare beschrijving ${n}`,
          type: 'NO_INTERFACE',
          severity: 'MEDIUM',
          affectedNeedIds: needs.map((k) => N[k]),
          ownerId: P.AP,
          confidential,
        },
      },
      BEARER.stewardInvolved!,
    );
    const ref = data.reportBlocker.blocker as Ref;
    if (confidential) {
      hiddenIds.push(ref.id);
      hiddenKeys.push(ref.key);
    }
    return ref;
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    P = await providerIds(server, ADMIN);
    N = await needIds(server, ADMIN);
    knp19 = (await admin<any>(`{ blocker(key: "KNP-19") { ${REF} } }`)).blocker;
    hiddenIds.push(knp19.id);
    hiddenKeys.push('KNP-19');
    // A confidential blocker with a comment, a dependency on a visible one and a visible dependent, so
    // that lists, graph, impact, history and comments all have a path to it.
    const secret = await blocker('confidential');
    const comment = await admin<any>(
      'mutation($input: AddCommentInput!) { addComment(input: $input) { id } }',
      { input: { blockerId: secret.id, body: `Opmerking ${MARK} intern` } },
    );
    await admin('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', {
      input: { blockerId: knp19.id, body: `Nog een ${MARK} opmerking` },
    });
    hiddenIds.push(comment.addComment.id);
    const visible = await blocker('normal');
    visibleTarget = visible;
    secretTarget = secret;
    await admin('mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }', {
      input: { blockerId: visible.id, dependsOnId: secret.id },
    });
    const k19 = await admin<any>(
      `{ blocker(key: "KNP-19") { comments { nodes { id body } } history { nodes { id } } } }`,
    );
    for (const c of k19.blocker.comments.nodes) {
      SECRETS.push(c.body);
      hiddenIds.push(c.id);
    }
    for (const e of k19.blocker.history.nodes) hiddenIds.push(e.id);
    const s = await admin<any>('query($id: ID) { blocker(id: $id) { history { nodes { id } } } }', {
      id: secret.id,
    });
    for (const e of s.blocker.history.nodes) hiddenIds.push(e.id);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();

    console.log(`permission matrix: ${callsScanned} non-seer responses scanned for confidential text`);
  });

  // ------------------------------------------------------------------ mutations

  interface MutationSpec {
    name: string;
    /** Targets it runs on: a blocker mutation on both, the others once. */
    targets: Target[];
    /** Who may make it (on a confidential target: of the seers only). */
    allowed: Viewer[];
    /** Refusals other than FORBIDDEN for a viewer that can see the target. */
    refused?: Partial<Record<Viewer, Outcome>>;
    /** A non-seer on a confidential target: NOT_FOUND unless stated (a role-wide refusal comes first). */
    hidden?: Outcome;
    /** Per-viewer exceptions to `hidden`. */
    hiddenFor?: Partial<Record<Viewer, Outcome>>;
    /** Build the call (after creating whatever fixtures it needs) for this viewer and target. */
    prepare: (viewer: Viewer, target: Target) => Promise<[string, Record<string, unknown>]>;
  }

  const BLOCKER_TARGETS: Target[] = ['normal', 'confidential'];
  const ALL_EDITORS: Viewer[] = ['ADMIN', 'STEERING', 'stewardInvolved'];

  const MUTATIONS: MutationSpec[] = [
    {
      name: 'createProvider',
      targets: ['none'],
      allowed: ['ADMIN'],
      prepare: async () => [
        'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
        { input: { name: `Matrixgemeente ${++fixtureCount}`, kind: 'MUNICIPALITY' } },
      ],
    },
    {
      name: 'updateProvider',
      targets: ['none'],
      allowed: ['ADMIN'],
      prepare: async () => {
        const p = await admin<any>(
          'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
          { input: { name: `Matrixprovider ${++fixtureCount}`, kind: 'OTHER' } },
        );
        return [
          'mutation($input: UpdateProviderInput!) { updateProvider(input: $input) { id } }',
          { input: { id: p.createProvider.id, abbreviation: 'MX' } },
        ];
      },
    },
    {
      name: 'registerDataset',
      targets: ['none'],
      allowed: ['ADMIN', 'stewardInvolved'],
      prepare: async () => [
        'mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }',
        { input: { holderId: P.ROTTERDAM, name: `Matrixregister ${++fixtureCount}` } },
      ],
    },
    {
      name: 'declareDataNeed',
      targets: ['none'],
      allowed: ALL_EDITORS,
      prepare: async () => [
        'mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id } }',
        {
          input: {
            requesterId: P.ROTTERDAM,
            supplierId: P.BD,
            dataElements: ['inkomen'],
            purpose: `Matrixdoel ${++fixtureCount}`,
          },
        },
      ],
    },
    {
      name: 'updateDataNeed',
      targets: ['none'],
      allowed: ALL_EDITORS,
      prepare: async () => {
        const need = await admin<any>(
          'mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id } }',
          {
            input: {
              requesterId: P.ROTTERDAM,
              supplierId: P.BD,
              dataElements: ['inkomen'],
              purpose: `Matrixbehoefte ${++fixtureCount}`,
            },
          },
        );
        return [
          'mutation($input: UpdateDataNeedInput!) { updateDataNeed(input: $input) { id } }',
          { input: { id: need.declareDataNeed.id, annualCases: 1234 } },
        ];
      },
    },
    {
      name: 'reportBlocker',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      // There is nothing to hide yet: the report itself is refused for the role.
      hidden: 'FORBIDDEN',
      prepare: async (_viewer, target) => [
        `mutation($input: ReportBlockerInput!) {
          reportBlocker(input: $input) { blocker { id title } possibleDuplicates { id key title } } }`,
        {
          input: {
            title: target === 'confidential' ? `Nieuw ${MARK} rapport` : 'Nieuw openbaar rapport',
            description: 'Matrix report',
            type: 'NO_INTERFACE',
            severity: 'LOW',
            affectedNeedIds: [N.N5],
            confidential: target === 'confidential',
          },
        },
      ],
    },
    {
      name: 'updateBlocker',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        return [
          'mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }',
          { input: { id: b.id, expectedVersion: b.version, severity: 'HIGH' } },
        ];
      },
    },
    {
      name: 'transitionBlocker',
      targets: BLOCKER_TARGETS,
      allowed: ['ADMIN', 'STEERING'],
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        return [
          'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id status } }',
          { input: { id: b.id, expectedVersion: b.version, to: 'TRIAGED' } },
        ];
      },
    },
    {
      name: 'linkAffectedNeed',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        return [
          'mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id } }',
          { input: { blockerId: b.id, needId: N.N3 } },
        ];
      },
    },
    {
      name: 'unlinkAffectedNeed',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      prepare: async (_viewer, target) => {
        const b = await blocker(target, ['N5', 'N3']);
        return [
          'mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id } }',
          { input: { blockerId: b.id, needId: N.N3 } },
        ];
      },
    },
    {
      name: 'addBlockerDependency',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        const other = await blocker('normal');
        return [
          'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }',
          { input: { blockerId: b.id, dependsOnId: other.id } },
        ];
      },
    },
    {
      name: 'removeBlockerDependency',
      targets: BLOCKER_TARGETS,
      allowed: ALL_EDITORS,
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        const other = await blocker('normal');
        const input = { blockerId: b.id, dependsOnId: other.id };
        await admin(
          'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }',
          { input },
        );
        return [
          'mutation($input: BlockerDependencyInput!) { removeBlockerDependency(input: $input) { id } }',
          { input },
        ];
      },
    },
    {
      name: 'endorseBlocker',
      targets: BLOCKER_TARGETS,
      // Endorsing is a steward's act for a provider that did not report the blocker.
      allowed: ['stewardUninvolved'],
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        return [
          'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
          { input: { blockerId: b.id, note: 'ook bij ons' } },
        ];
      },
    },
    {
      name: 'withdrawEndorsement',
      targets: BLOCKER_TARGETS,
      allowed: ['stewardUninvolved'],
      // The reporting steward's provider cannot endorse, so it has nothing to withdraw.
      refused: { stewardInvolved: 'BAD_USER_INPUT' },
      prepare: async (viewer, target) => {
        const b = await blocker(target);
        // An endorsement by the viewer's provider where it can exist, else by SVB's steward.
        const endorser =
          viewer === 'stewardUninvolved' && target === 'normal' ? BEARER.stewardUninvolved! : SVB_STEWARD;
        if (target === 'normal')
          await server.ok(
            'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
            { input: { blockerId: b.id } },
            endorser,
          );
        return ['mutation($id: ID!) { withdrawEndorsement(blockerId: $id) { id } }', { id: b.id }];
      },
    },
    {
      name: 'addComment',
      targets: BLOCKER_TARGETS,
      allowed: [...ALL_EDITORS, 'stewardUninvolved'],
      // ANALYST may comment on nothing: refused for the role before the blocker is looked up, exactly
      // as for a blocker that does not exist.
      hiddenFor: { ANALYST: 'FORBIDDEN' },
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        return [
          'mutation($input: AddCommentInput!) { addComment(input: $input) { id body } }',
          { input: { blockerId: b.id, body: 'Matrixopmerking' } },
        ];
      },
    },
    {
      name: 'recordSteeringDecision',
      targets: BLOCKER_TARGETS,
      allowed: ['ADMIN', 'STEERING'],
      // Refused to every non-steering role alike, before the blocker is looked up.
      hidden: 'FORBIDDEN',
      prepare: async (_viewer, target) => {
        const b = await blocker(target);
        const triaged = await admin<any>(
          'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id version } }',
          { input: { id: b.id, expectedVersion: b.version, to: 'TRIAGED' } },
        );
        return [
          'mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }',
          {
            input: {
              blockerId: b.id,
              expectedVersion: triaged.transitionBlocker.version,
              level: 'LOW',
              rank: null,
              rationale: 'Matrix decision',
            },
          },
        ];
      },
    },
  ];

  const expected = (spec: MutationSpec, viewer: Viewer, target: Target): Outcome => {
    if (viewer === 'anonymous') return 'UNAUTHENTICATED';
    if (target === 'confidential' && !SEERS.includes(viewer))
      return spec.hiddenFor?.[viewer] ?? spec.hidden ?? 'NOT_FOUND';
    if (spec.allowed.includes(viewer)) return 'OK';
    return spec.refused?.[viewer] ?? 'FORBIDDEN';
  };

  const mutationCases = MUTATIONS.flatMap((spec) =>
    spec.targets.flatMap((target) =>
      VIEWERS.map((viewer) => ({ spec, target, viewer, outcome: expected(spec, viewer, target) })),
    ),
  );

  it.each(mutationCases.map((c) => [c.spec.name, c.target, c.viewer, c.outcome, c] as const))(
    'mutation %s on a %s target by %s: %s',
    async (_name, _target, _viewer, _outcome, { spec, target, viewer, outcome }) => {
      const [query, variables] = await spec.prepare(viewer, target);
      const res = await call(viewer, query, variables);
      if (outcome === 'OK') {
        expect(res.errors ?? []).toEqual([]);
        expect(res.data?.[spec.name]).toBeTruthy();
      } else {
        expect({ code: codeOf(res) ?? JSON.stringify(res), data: res.data ?? null }).toEqual({
          code: outcome,
          data: null,
        });
      }
    },
  );
  // ------------------------------------------------------------------ queries

  type QueryOutcome = 'OK' | 'NULL' | 'UNAUTHENTICATED' | 'NOT_FOUND';

  interface QuerySpec {
    name: string;
    targets: Target[];
    /** What a non-seer gets for a confidential target. */
    hidden?: QueryOutcome;
    build: (target: Target) => [string, Record<string, unknown>];
  }

  const BLOCKER_TEXT = `id key title description confidential
    comments(first: 10) { totalCount nodes { id body } }
    history(first: 20) { totalCount nodes { id action reason changes { field from to } } }
    dependsOn { key title } dependents { key title } duplicates { key title }`;
  const idOf = (target: Target): string => (target === 'confidential' ? secretTarget.id : visibleTarget.id);
  const PERIOD = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

  const QUERIES: QuerySpec[] = [
    {
      name: 'node',
      targets: BLOCKER_TARGETS,
      hidden: 'NULL',
      build: (t) => [
        `query($id: ID!) { node(id: $id) { id ... on Blocker { ${BLOCKER_TEXT} } } }`,
        { id: idOf(t) },
      ],
    },
    {
      name: 'viewer',
      targets: ['none'],
      build: () => ['{ viewer { id subject roles provider { id } } }', {}],
    },
    {
      name: 'providers',
      targets: ['none'],
      build: () => ['{ providers(first: 100) { totalCount nodes { id name openBlockerCount } } }', {}],
    },
    {
      name: 'provider',
      targets: ['none'],
      build: () => [
        `query($id: ID!) { provider(id: $id) { id name openBlockerCount
          needs(first: 50) { nodes { id state blockers { key title description } } } } }`,
        { id: P.ROTTERDAM },
      ],
    },
    {
      name: 'datasets',
      targets: ['none'],
      build: () => ['{ datasets(first: 100) { totalCount nodes { id name holder { id } } } }', {}],
    },
    {
      name: 'dataNeeds',
      targets: ['none'],
      build: () => [
        '{ dataNeeds(first: 100) { totalCount nodes { id state blockers { key title description } } } }',
        {},
      ],
    },
    {
      name: 'blockers',
      targets: ['none'],
      build: () => [
        `query($f: BlockerFilter) { blockers(first: 20, filter: $f, orderBy: { field: CREATED_AT, direction: ASC }) {
          totalCount nodes { ${BLOCKER_TEXT} } } }`,
        { f: { open: true, providerId: P.ROTTERDAM } },
      ],
    },
    {
      name: 'blocker',
      targets: BLOCKER_TARGETS,
      hidden: 'NULL',
      build: (t) => [`query($id: ID) { blocker(id: $id) { ${BLOCKER_TEXT} } }`, { id: idOf(t) }],
    },
    {
      name: 'blockerGraph',
      targets: BLOCKER_TARGETS,
      hidden: 'NOT_FOUND',
      build: (t) => [
        `query($input: BlockerGraphInput) { blockerGraph(input: $input) {
          nodes { id kind label } edges { source target kind } totalNodes truncated } }`,
        { input: { focusId: idOf(t), depth: 4, openOnly: false, limit: 5000 } },
      ],
    },
    {
      name: 'blockerImpact',
      targets: BLOCKER_TARGETS,
      hidden: 'NOT_FOUND',
      build: (t) => [
        `query($id: ID!) { blockerImpact(id: $id) { blocker { key title }
          affectedNeeds { id } unblockedIfResolved { id } prerequisites { key title description }
          dependents { key title description } peopleAffectedPerYear } }`,
        { id: idOf(t) },
      ],
    },
    {
      name: 'criticalBlockers',
      targets: ['none'],
      build: () => [
        '{ criticalBlockers(first: 100, by: PEOPLE_REACHED) { blocker { key title description } needsUnblocked } }',
        {},
      ],
    },
    {
      name: 'whatIf',
      targets: BLOCKER_TARGETS,
      hidden: 'NOT_FOUND',
      build: (t) => [
        `query($ids: [ID!]!) { whatIf(resolve: $ids) { needsUnblocked { id } needsStillBlocked
          blockedByPrerequisites { key title description } providersFullyUnblocked { id } } }`,
        { ids: [idOf(t)] },
      ],
    },
    {
      name: 'exchangeMatrix',
      targets: ['none'],
      build: () => [
        '{ exchangeMatrix(openOnly: false) { requester { id } supplier { id } blockedNeeds } }',
        {},
      ],
    },
    {
      name: 'stats',
      targets: ['none'],
      build: () => ['{ stats { open byStatus { status count } stale } }', {}],
    },
    {
      name: 'progressReport',
      targets: ['none'],
      build: () => [
        `query($from: DateTime!, $to: DateTime!) { progressReport(from: $from, to: $to) { reported resolved
          newBlockers { key title description } resolvedBlockers { key title }
          staleBlockers { key title } markdown } }`,
        PERIOD,
      ],
    },
  ];

  const queryOutcome = (spec: QuerySpec, viewer: Viewer, target: Target): QueryOutcome => {
    if (viewer === 'anonymous') return 'UNAUTHENTICATED';
    if (target === 'confidential' && !SEERS.includes(viewer)) return spec.hidden ?? 'OK';
    return 'OK';
  };

  const queryCases = QUERIES.flatMap((spec) =>
    spec.targets.flatMap((target) =>
      VIEWERS.map((viewer) => ({ spec, target, viewer, outcome: queryOutcome(spec, viewer, target) })),
    ),
  );

  it('covers every query and every mutation of the contract', () => {
    const contract = buildSchema(readFileSync(resolve(ROOT, '..', 'shared/api/contract.graphql'), 'utf8'));
    expect(MUTATIONS.map((m) => m.name).sort()).toEqual(
      Object.keys(contract.getMutationType()!.getFields()).sort(),
    );
    expect(QUERIES.map((q) => q.name).sort()).toEqual(
      Object.keys(contract.getQueryType()!.getFields()).sort(),
    );
  });

  it.each(queryCases.map((c) => [c.spec.name, c.target, c.viewer, c.outcome, c] as const))(
    'query %s on a %s target by %s: %s',
    async (_name, _target, _viewer, _outcome, { spec, target, viewer, outcome }) => {
      const [query, variables] = spec.build(target);
      const res = await call(viewer, query, variables);
      if (outcome === 'OK') {
        expect(res.errors ?? []).toEqual([]);
        expect(res.data?.[spec.name]).toBeTruthy();
        if (SEERS.includes(viewer) && spec.name === 'blockers') {
          const keys = res.data!.blockers.nodes.map((b: { key: string }) => b.key);
          expect(keys).toEqual(expect.arrayContaining(['KNP-19', secretTarget.key]));
        }
      } else if (outcome === 'NULL') {
        expect(res.errors ?? []).toEqual([]);
        expect(res.data?.[spec.name]).toBeNull();
      } else {
        // A refused nullable root field may come back as { field: null } beside the error.
        expect({ code: codeOf(res) ?? JSON.stringify(res), data: res.data?.[spec.name] ?? null }).toEqual({
          code: outcome,
          data: null,
        });
      }
    },
  );

  // ------------------------------------------------------------------ every other path

  /** A sweep call: answered without errors (anonymous: refused), and scanned like every other call. */
  const sweep = async (
    viewer: Viewer,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<any>> => {
    const res = await call(viewer, query, variables);
    if (viewer === 'anonymous') expect(codeOf(res)).toBe('UNAUTHENTICATED');
    else expect(res.errors ?? []).toEqual([]);
    return res;
  };

  describe.each(['ANALYST', 'stewardUninvolved', 'anonymous'] as Viewer[])(
    'for %s, who may not see them',
    (viewer) => {
      it('no node(id) and no blocker(key) reaches a confidential blocker, comment or audit event', async () => {
        for (const id of hiddenIds) {
          const res = await call(viewer, 'query($id: ID!) { node(id: $id) { id } }', { id });
          if (viewer === 'anonymous') expect(codeOf(res)).toBe('UNAUTHENTICATED');
          else
            expect({ id, node: res.data?.node ?? null, errors: res.errors ?? [] }).toEqual({
              id,
              node: null,
              errors: [],
            });
        }
        for (const key of hiddenKeys) {
          const res = await call(viewer, 'query($key: String) { blocker(key: $key) { id title } }', { key });
          if (viewer !== 'anonymous') expect(res.data?.blocker).toBeNull();
        }
      });

      it('search, whole-registry graph, critical blockers, what-if, reports and duplicates stay clean', async () => {
        for (const search of [MARK, 'Tax-debt', 'Geheim', 'advice request']) {
          const res = await sweep(
            viewer,
            `query($f: BlockerFilter) { blockers(first: 20, filter: $f) { totalCount nodes { ${BLOCKER_TEXT} } } }`,
            { f: { search } },
          );
          if (viewer !== 'anonymous')
            expect(res.data!.blockers.nodes.map((b: any) => b.key)).not.toContain('KNP-19');
        }
        await sweep(
          viewer,
          `{ blockerGraph(input: { depth: 4, openOnly: false, limit: 5000 }) {
          nodes { id kind label } edges { source target } totalNodes } }`,
        );
        for (const by of ['NEEDS_UNBLOCKED', 'PEOPLE_REACHED', 'PROVIDERS_UNBLOCKED'])
          await sweep(
            viewer,
            `{ criticalBlockers(first: 100, by: ${by}) { blocker { key title description } } }`,
          );
        const open = await server.ok<any>(
          '{ blockers(first: 100, filter: { open: true }) { nodes { id } } }',
          {},
          BEARER.ANALYST!,
        );
        await sweep(
          viewer,
          `query($ids: [ID!]!) { whatIf(resolve: $ids) { needsUnblocked { id blockers { key title } }
          blockedByPrerequisites { key title } } }`,
          { ids: open.blockers.nodes.map((b: { id: string }) => b.id) },
        );
        await sweep(
          viewer,
          `query($id: ID!) { blockerImpact(id: $id) { prerequisites { key title } dependents { key title }
          affectedNeeds { blockers { key title description } } } }`,
          { id: visibleTarget.id },
        );
        await sweep(
          viewer,
          `query($from: DateTime!, $to: DateTime!) { progressReport(from: $from, to: $to) {
        newBlockers { key title } resolvedBlockers { key } staleBlockers { key } markdown } }`,
          PERIOD,
        );
        // Every visible blocker's history and comments, page by page.
        let after: string | null = null;
        for (let page = 0; page < 20 && viewer !== 'anonymous'; page++) {
          const res: GraphQLResponse<any> = await sweep(
            viewer,
            `query($after: String) { blockers(first: 20, after: $after) { pageInfo { hasNextPage endCursor }
            nodes { ${BLOCKER_TEXT} } } }`,
            { after },
          );
          if (!res.data!.blockers.pageInfo.hasNextPage) break;
          after = res.data!.blockers.pageInfo.endCursor;
        }
        if (viewer === 'stewardUninvolved') {
          // Same layer, similar text, on the steward's own need: the confidential one is no duplicate.
          await sweep(
            viewer,
            `mutation($input: ReportBlockerInput!) {
            reportBlocker(input: $input) { blocker { key } possibleDuplicates { key title description } } }`,
            {
              input: {
                title: 'Geheim titel signaal experiment advies',
                description: 'Tax-debt signal experiment needs AP advice',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [N.N9],
              },
            },
          );
        }
      });
    },
  );
});
