import { codeOf, TestServer, token } from './support/server';

describe('server with demo data', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
  });
  afterAll(async () => server?.stop());

  it('answers KNP-1 with its affected needs and history', async () => {
    const data = await server.ok<any>(
      `{ blocker(key: "KNP-1") { key title status affectedNeeds { totalCount nodes { requester { abbreviation } } } history { totalCount nodes { action } } } }`,
      {},
      token('ANALYST'),
    );
    expect(data.blocker.key).toBe('KNP-1');
    expect(data.blocker.status).toBe('ESCALATED');
    expect(data.blocker.affectedNeeds.totalCount).toBe(2);
    expect(data.blocker.history.nodes.map((e: { action: string }) => e.action)).toEqual([
      'blocker.transitioned',
      'blocker.transitioned',
      'blocker.transitioned',
      'blocker.reported',
    ]);
  });

  it('refuses data without a token but answers the health check', async () => {
    expect(codeOf(await server.gql('{ viewer { id } }'))).toBe('UNAUTHENTICATED');
    expect((await server.gql('{ health }')).data).toEqual({ health: 'ok' });
  });
});
