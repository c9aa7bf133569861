/**
 * What a report costs in SQL statements (ADR 12, ADR 14): one transaction (BEGIN, the duplicate
 * search, the score lock with the need lock, the insert with links, need state and neighbourhood
 * locks, the scores' inputs, the scores with the audit event, COMMIT), and one more statement that
 * loads the duplicates found when the query asks more of them than their id, key and title.
 * Counted by `extensions.queryStats` after a warm-up request, so that recording the user is not
 * counted.
 */
import { needIds } from './support/demo';
import { GraphQLResponse, TestServer, token } from './support/server';

const REPORT = (duplicateFields: string): string => `mutation Report($input: ReportBlockerInput!) {
  reportBlocker(input: $input) { blocker { id status priority { score } } possibleDuplicates { ${duplicateFields} } }
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

  const report = async (duplicateFields: string, title: string): Promise<GraphQLResponse<ReportData>> => {
    const needs = Object.values(await needIds(server, admin)).filter(Boolean);
    await server.ok('{ viewer { id } }', {}, admin);
    const res = await server.gql<ReportData>(
      REPORT(duplicateFields),
      {
        input: {
          title,
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
    return res;
  };

  it("reports a blocker on one need in 7 statements when only the duplicates' names are asked", async () => {
    // A look-alike on the same need first: the search finds it, and names it as it found it.
    await report('id', 'Statement count: koppeling belastingschuld stalls');
    const res = await report('id key title', 'Statement count: koppeling belastingschuld stalls');
    expect(res.data!.reportBlocker.possibleDuplicates.length).toBeGreaterThan(0);
    expect(res.extensions?.queryStats?.sqlStatements).toBe(7);
  });

  it('loads the duplicates found by one more statement when more of them is asked', async () => {
    const res = await report('id status', 'Statement count again: koppeling belastingschuld stalls');
    expect(res.data!.reportBlocker.possibleDuplicates.length).toBeGreaterThan(0);
    expect(res.extensions?.queryStats?.sqlStatements).toBe(8);
  });
});
