/**
 * NODE_ENV=production: errors carry no stack trace, unexpected errors are masked as
 * INTERNAL_SERVER_ERROR without SQL, validation errors give no "Did you mean" hints, introspection is
 * refused and no query statistics are exposed; the expected errors keep their codes.
 */
import { expectNoLeak } from './support/checks';
import { codeOf, TestServer, token } from './support/server';

describe('production mode', () => {
  let server: TestServer;
  const admin = token('ADMIN', { sub: 'prod-admin' });
  const analyst = token('ANALYST', { sub: 'prod-analyst' });

  beforeAll(async () => {
    // The harness sets AUTH_JWT_SECRET, which production requires.
    server = await TestServer.start({ demo: true, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => server?.stop());

  it('still answers ordinary queries, without query statistics', async () => {
    const res = await server.gql('{ blocker(key: "KNP-1") { key } }', {}, analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ blocker: { key: 'KNP-1' } });
    expect(res.extensions?.queryStats).toBeUndefined();
  });

  it('refuses introspection', async () => {
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Blocker") { fields { name } } }',
      'query IntrospectionQuery { __schema { queryType { name } } }',
    ]) {
      const res = await server.gql(query, {}, analyst);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.length).toBeGreaterThan(0);
      expect(res.errors?.[0]?.message).toMatch(/introspection/i);
      expectNoLeak(res);
    }
    // __typename is not introspection of the schema and keeps working.
    const typename = await server.gql('{ __typename }', {}, analyst);
    expect(typename.data).toEqual({ __typename: 'Query' });
  });

  it('gives no "Did you mean" suggestions for a typo', async () => {
    for (const query of [
      '{ viewer { nmae } }',
      '{ blockrs(first: 1) { totalCount } }',
      '{ blockers(frist: 1) { totalCount } }',
      '{ blockers(filter: { staus: [REPORTED] }) { totalCount } }',
      '{ blockers(filter: { status: [REPORTD] }) { totalCount } }',
    ]) {
      const res = await server.gql(query, {}, analyst);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.length).toBeGreaterThan(0);
      for (const error of res.errors ?? []) expect(error.message).not.toMatch(/did you mean/i);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expectNoLeak(res);
    }
    // The wrong name itself is still reported, so the client can find its mistake.
    const res = await server.gql('{ viewer { nmae } }', {}, analyst);
    expect(res.errors?.[0]?.message).toContain('nmae');
  });

  it('keeps the codes of expected errors, without stack traces', async () => {
    const unauthenticated = await server.gql('{ viewer { id } }');
    expect(codeOf(unauthenticated)).toBe('UNAUTHENTICATED');
    expectNoLeak(unauthenticated);

    const parse = await server.gql('{ viewer { id ', {}, analyst);
    expect(codeOf(parse)).toBe('GRAPHQL_PARSE_FAILED');
    expectNoLeak(parse);

    const badVariable = await server.gql(
      'query Q($first: Int!) { blockers(first: $first) { totalCount } }',
      { first: 'many' },
      analyst,
    );
    expect(codeOf(badVariable)).toBe('BAD_USER_INPUT');
    expectNoLeak(badVariable);

    const badInput = await server.gql('{ blockers(first: 0) { totalCount } }', {}, analyst);
    expect(codeOf(badInput)).toBe('BAD_USER_INPUT');
    expectNoLeak(badInput);

    const { blocker } = await server.ok<{ blocker: { id: string } }>(
      '{ blocker(key: "KNP-1") { id } }',
      {},
      analyst,
    );
    // An analyst changes nothing.
    const forbidden = await server.gql(
      'mutation C($input: AddCommentInput!) { addComment(input: $input) { id } }',
      { input: { blockerId: blocker.id, body: 'hi' } },
      analyst,
    );
    expect(codeOf(forbidden)).toBe('FORBIDDEN');
    expectNoLeak(forbidden);
  });

  it('answers NOT_FOUND for a blocker the viewer may not see', async () => {
    // KNP-19 of the demo data is confidential: it exists for ADMIN, not for an analyst.
    const { blocker } = await server.ok<{ blocker: { id: string; confidential: boolean } }>(
      '{ blocker(key: "KNP-19") { id confidential } }',
      {},
      admin,
    );
    expect(blocker.confidential).toBe(true);
    const res = await server.gql(
      'query Q($id: ID!) { blockerImpact(id: $id) { peopleAffectedPerYear } }',
      { id: blocker.id },
      analyst,
    );
    expect(codeOf(res)).toBe('NOT_FOUND');
    expectNoLeak(res);
    expect(res.errors?.[0]?.message).not.toMatch(/confidential/i);
  });

  it('masks an unexpected database error as INTERNAL_SERVER_ERROR without SQL', async () => {
    // A constraint the application does not know about: its violation is an error nobody mapped.
    await server.db.query(
      `ALTER TABLE comment ADD CONSTRAINT e2e_probe_no_boom CHECK (body NOT LIKE '%e2e-boom%')`,
    );
    try {
      const { blocker } = await server.ok<{ blocker: { id: string } }>(
        '{ blocker(key: "KNP-1") { id } }',
        {},
        admin,
      );
      const res = await server.gql(
        'mutation C($input: AddCommentInput!) { addComment(input: $input) { id } }',
        { input: { blockerId: blocker.id, body: 'this goes e2e-boom' } },
        admin,
      );
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]).toMatchObject({
        message: 'Internal server error',
        path: ['addComment'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(Object.keys(res.errors?.[0]?.extensions ?? {})).toEqual(['code']);
      expect(JSON.stringify(res)).not.toMatch(/e2e_probe|e2e-boom|comment"/);
      expectNoLeak(res);
      // ... while the operator finds it in the log.
      await new Promise((r) => setTimeout(r, 200));
      expect(server.logs).toMatch(/unexpected error at addComment/);
    } finally {
      await server.db.query('ALTER TABLE comment DROP CONSTRAINT e2e_probe_no_boom');
    }
  });

  it('never shows SQL for a forged cursor, whatever it answers', async () => {
    const { blockers } = await server.ok<{ blockers: { pageInfo: { endCursor: string } } }>(
      '{ blockers(first: 2, orderBy: { field: CREATED_AT, direction: ASC }) { pageInfo { endCursor } } }',
      {},
      analyst,
    );
    const cursor = JSON.parse(Buffer.from(blockers.pageInfo.endCursor, 'base64url').toString('utf8'));
    for (const k of ['2026-13-45 99:99:99+00', 'x', '1e999']) {
      const forged = Buffer.from(JSON.stringify({ ...cursor, k }), 'utf8').toString('base64url');
      const res = await server.gql(
        'query Q($after: String) { blockers(first: 2, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount } }',
        { after: forged },
        analyst,
      );
      expect(res.errors?.length).toBe(1);
      expect(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']).toContain(codeOf(res));
      expectNoLeak(res);
    }
  });
});
