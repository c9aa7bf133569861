/**
 * What a report costs in SQL statements (ADR 12): the transaction (BEGIN, the score lock with the need
 * lock, the insert with links, need state and neighbourhood locks, the scores' inputs, the scores, the
 * audit event, COMMIT) and the duplicate search after it (one read, and one more that loads the
 * duplicates it found). Counted by `extensions.queryStats` after a
 * warm-up request, so that recording the user is not counted.
 */
import { needIds } from './support/demo';
import { GraphQLResponse, TestServer, token } from './support/server';

const REPORT = `mutation Report($input: ReportBlockerInput!) {
  reportBlocker(input: $input) { blocker { id status priority { score } } possibleDuplicates { id } }
}`;

interface ReportData {
  reportBlocker: {
    blocker: { id: string; status: string; priority: { score: number } };
    possibleDuplicates: Array<{ id: string }>;
  };
}

describe('the SQL statements of a report', () => {
  let server: TestServer;
  const admin = token('ADMIN', { sub: 'report-statements-admin' });

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
  }, 120_000);
  afterAll(async () => server?.stop());

  it('reports a blocker on one need in 8 statements, 9 when it finds possible duplicates', async () => {
    const needs = Object.values(await needIds(server, admin)).filter(Boolean);
    await server.ok('{ viewer { id } }', {}, admin);
    const res: GraphQLResponse<ReportData> = await server.gql<ReportData>(
      REPORT,
      {
        input: {
          title: 'Statement count: koppeling belastingschuld stalls',
          description: 'Counting the statements of one report.',
          type: 'NO_INTERFACE',
          severity: 'HIGH',
          affectedNeedIds: [needs[0]],
        },
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.reportBlocker.blocker.status).toBe('REPORTED');
    expect(res.data!.reportBlocker.blocker.priority.score).toBeGreaterThan(0);
    // The duplicates found are loaded by one more statement.
    const loaded = res.data!.reportBlocker.possibleDuplicates.length > 0 ? 1 : 0;
    expect(res.extensions?.queryStats?.sqlStatements).toBe(8 + loaded);
  });
});
