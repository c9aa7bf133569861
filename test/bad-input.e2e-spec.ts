/**
 * Property-based bad input: fast-check throws random and malformed values (wrong types, huge strings,
 * negative and huge numbers, floats for Int, invalid enums, malformed IDs and IDs of the wrong type,
 * nested nulls, unicode, NUL characters, deep objects) at one field at a time of every mutation's
 * input. The server never answers 500 nor INTERNAL_SERVER_ERROR; a refused call names the field
 * (BAD_USER_INPUT with extensions.fields, or GraphQL's own variable error naming the variable and
 * path) and leaves the database exactly as it was. Fixed seed, bounded runs.
 */
import fc from 'fast-check';
import { snapshot } from './support/checks';
import { needIds, providerIds, reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const SEED = 20260520;
const RUNS_PER_MUTATION = 18;

const admin = token('ADMIN', { sub: 'fuzz-admin' });
const utrecht = reference.providers.find((p) => p.key === 'UTRECHT')!;
const stewardUtrecht = token('STEWARD', { org: utrecht.oin!, sub: 'fuzz-steward-utrecht' });

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/** Values that are wrong for almost any field, plus some that are right-typed but out of range. */
const malformed = (ids: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\uD800', '\u202Eevil', '🧨'.repeat(50), ''),
    fc.constantFrom('x'.repeat(20_000), ' '.repeat(5000)),
    fc.integer(),
    fc.constantFrom(-1, 0, -2147483648, 2147483647, 2147483648, 2 ** 53 + 2, 1e308, -1e308),
    fc.double({ noNaN: true }),
    fc.constantFrom(1.5, -0.5, 0.1),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('NOT_AN_ENUM', 'reported', 'ADMIN', 'KNP-1'),
    // Malformed IDs and IDs of the wrong type.
    fc.constantFrom(
      '!!!',
      b64('Blocker:not-a-uuid'),
      b64('Blocker:00000000-0000-4000-8000-000000000000'),
      b64('Nope:00000000-0000-4000-8000-000000000000'),
      b64(':'),
      b64('Blocker'),
      '00000000-0000-4000-8000-000000000000',
    ),
    fc.constantFrom(...ids),
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null), fc.integer()), { maxLength: 5 }),
    fc.array(fc.constant(null), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)), {
      maxKeys: 4,
    }),
    fc.letrec<{ deep: unknown }>((tie) => ({
      deep: fc.oneof({ depthSize: 'small' }, fc.constant({}), fc.record({ a: tie('deep') })),
    })).deep,
    fc.constant(JSON.parse('{"a":'.repeat(60) + '1' + '}'.repeat(60))),
  );

interface Target {
  name: string;
  query: string;
  /** The variables of a valid call; the property replaces one field of `input` (or the argument). */
  valid: () => Record<string, unknown>;
  bearer?: string;
  /** The argument fuzzed when there is no input object. */
  arg?: string;
}

describe('bad input', () => {
  let server: TestServer;
  let P: Record<string, string>;
  let N: Record<string, string>;
  let blocker: { id: string; version: number };
  let other: { id: string };
  let datasetId: string;
  let needId: string;
  let tried = 0;
  let refused = 0;
  const codes: Record<string, number> = {};

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    P = await providerIds(server, admin);
    N = await needIds(server, admin);
    const report = async (title: string) =>
      (
        await server.ok<any>(
          `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id version } } }`,
          {
            input: {
              title,
              description: 'fuzz target',
              type: 'NO_INTERFACE',
              severity: 'LOW',
              affectedNeedIds: [N.N1],
              ownerId: P.UWV,
            },
          },
          admin,
        )
      ).reportBlocker.blocker;
    blocker = await report('Fuzzdoel');
    other = await report('Fuzzafhankelijkheid');
    const ds = await server.ok<any>('{ datasets(first: 1) { nodes { id } } }', {}, admin);
    datasetId = ds.datasets.nodes[0].id;
    needId = N.N2;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();

    console.log(`bad input: ${tried} calls, ${refused} refused, codes ${JSON.stringify(codes)}`);
  });

  const version = async (): Promise<number> =>
    (await server.ok<any>('query($id: ID) { blocker(id: $id) { version } }', { id: blocker.id }, admin))
      .blocker.version;

  const targets = (): Target[] => [
    {
      name: 'createProvider',
      query: 'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
      valid: () => ({ input: { name: `Fuzz ${tried}`, kind: 'OTHER', abbreviation: 'FZ', parentId: P.FIN } }),
    },
    {
      name: 'updateProvider',
      query: 'mutation($input: UpdateProviderInput!) { updateProvider(input: $input) { id } }',
      valid: () => ({
        input: { id: P.CBR, name: 'Centraal Bureau Rijvaardigheidsbewijzen', kind: 'EXECUTIVE_AGENCY' },
      }),
    },
    {
      name: 'registerDataset',
      query: 'mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }',
      valid: () => ({
        input: { holderId: P.CBR, name: `Fuzzregister ${tried}`, code: `FZ${tried}`, description: 'd' },
      }),
    },
    {
      name: 'declareDataNeed',
      query: 'mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id } }',
      valid: () => ({
        input: {
          requesterId: P.CBR,
          supplierId: P.RDW,
          datasetId,
          dataElements: ['a'],
          purpose: 'fuzz',
          annualCases: 10,
        },
      }),
    },
    {
      name: 'updateDataNeed',
      query: 'mutation($input: UpdateDataNeedInput!) { updateDataNeed(input: $input) { id } }',
      valid: () => ({ input: { id: needId, annualCases: 51000, legalBasis: 'Wet SUWI art. 54' } }),
    },
    {
      name: 'reportBlocker',
      query: 'mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id } } }',
      valid: () => ({
        input: {
          title: 'Fuzzrapport',
          description: 'd',
          type: 'NO_INTERFACE',
          severity: 'LOW',
          affectedNeedIds: [N.N1],
          ownerId: P.UWV,
          impact: { peopleAffectedPerYear: 10 },
          effort: 'S',
          targetDate: '2027-03-31',
        },
      }),
    },
    {
      name: 'updateBlocker',
      query: 'mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id } }',
      valid: () => ({ input: { id: blocker.id, expectedVersion: blocker.version, severity: 'LOW' } }),
    },
    {
      name: 'transitionBlocker',
      query: 'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id } }',
      valid: () => ({
        input: { id: blocker.id, expectedVersion: blocker.version, to: 'REJECTED', reason: 'fuzz' },
      }),
    },
    {
      name: 'linkAffectedNeed',
      query: 'mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, needId: N.N20 } }),
    },
    {
      name: 'unlinkAffectedNeed',
      query: 'mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, needId: N.N20 } }),
    },
    {
      name: 'addBlockerDependency',
      query: 'mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, dependsOnId: other.id } }),
    },
    {
      name: 'removeBlockerDependency',
      query: 'mutation($input: BlockerDependencyInput!) { removeBlockerDependency(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, dependsOnId: other.id } }),
    },
    {
      name: 'endorseBlocker',
      query: 'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, note: 'ook' } }),
      bearer: stewardUtrecht,
    },
    {
      name: 'withdrawEndorsement',
      query: 'mutation($blockerId: ID!) { withdrawEndorsement(blockerId: $blockerId) { id } }',
      valid: () => ({ blockerId: blocker.id }),
      bearer: stewardUtrecht,
      arg: 'blockerId',
    },
    {
      name: 'addComment',
      query: 'mutation($input: AddCommentInput!) { addComment(input: $input) { id } }',
      valid: () => ({ input: { blockerId: blocker.id, body: 'fuzz' } }),
    },
    {
      name: 'recordSteeringDecision',
      query: 'mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }',
      valid: () => ({
        input: {
          blockerId: blocker.id,
          expectedVersion: blocker.version,
          level: 'LOW',
          rank: 1,
          rationale: 'r',
        },
      }),
    },
  ];

  /** Domain refusals a well-typed value may earn besides BAD_USER_INPUT (a version, a state, a link). */
  const DOMAIN = ['CONFLICT', 'NOT_FOUND', 'INVALID_TRANSITION', 'PREREQUISITE_OPEN', 'DEPENDENCY_CYCLE'];

  const post = async (
    query: string,
    variables: Record<string, unknown>,
    bearer: string,
  ): Promise<{ status: number; body: GraphQLResponse<any> }> => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLResponse<any> };
  };

  it.each(targets().map((t) => [t.name]))(
    '%s: malformed values are refused cleanly',
    async (name) => {
      const target = targets().find((t) => t.name === name)!;
      const ids = [P.UWV, N.N1, datasetId, blocker.id];
      const fieldNames = Object.keys(target.arg ? target.valid() : (target.valid().input as object));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fieldNames, '__unknownField'),
          malformed(ids),
          fc.boolean(),
          async (field, value, omit) => {
            blocker.version = await version();
            const variables = target.valid();
            if (target.arg) {
              variables[target.arg] = value;
            } else {
              const input = variables.input as Record<string, unknown>;
              if (omit && field !== '__unknownField') delete input[field];
              else input[field] = value;
            }
            const before = await snapshot(server);
            const { status, body } = await post(target.query, variables, target.bearer ?? admin);
            tried++;
            const code = codeOf(body);
            // The test server runs with NODE_ENV=test, which adds stack traces; messages must hold no SQL.
            const text = JSON.stringify((body.errors ?? []).map((e) => e.message));
            expect({ status, code }).not.toEqual(expect.objectContaining({ status: 500 }));
            expect(code).not.toBe('INTERNAL_SERVER_ERROR');
            expect(text).not.toMatch(
              /QueryFailedError|invalid input syntax|violates|SELECT |INSERT |UPDATE "/,
            );
            if (!body.errors?.length) return;
            refused++;
            codes[code ?? 'none'] = (codes[code ?? 'none'] ?? 0) + 1;
            expect([...DOMAIN, 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(code);
            if (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED') {
              const error = body.errors[0];
              const named = (error.extensions?.fields ?? []).map((f: { field: string }) => f.field).join(' ');
              // Either the server's own validation names the field, or GraphQL names the variable.
              expect(`${error.message} ${named}`).toMatch(target.arg ? /blockerId/ : /input/);
            }
            expect(body.data?.[name] ?? null).toBeNull();
            expect(await snapshot(server)).toEqual(before);
          },
        ),
        { seed: SEED, numRuns: RUNS_PER_MUTATION, endOnFailure: true },
      );
    },
    300_000,
  );
});
