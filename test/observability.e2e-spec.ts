/**
 * Observability over HTTP: Prometheus metrics at /metrics (operations, latency, errors by code, the
 * database pool, open blockers by status, process metrics) and JSON request logs that name the request,
 * the user and the operation but never carry tokens, variables or confidential text.
 */
import { OPEN_STATUSES } from '@app/blockers/domain/workflow';
import { needIds, reference } from './support/demo';
import { codeOf, TestServer, token } from './support/server';

/** The demo's confidential KNP-19 (B19 in the reference data). */
const CONFIDENTIAL = reference.blockers.find((b) => b.key === 'B19')!;
const REPORT = `mutation AnalystReports($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id } } }`;

/** The value of one sample, e.g. sample(text, 'knooppunt_blockers_open{status="REPORTED"}'). */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/metrics`, { headers });
}

describe('observability', () => {
  let server: TestServer;
  const admin = token('ADMIN', { sub: 'obs-admin-subject' });
  const analyst = token('ANALYST');

  beforeAll(async () => {
    server = await TestServer.start({ demo: true, env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' } });
  });
  afterAll(async () => server?.stop());

  describe('GET /metrics', () => {
    it('counts named operations by name and type, with their latency', async () => {
      for (let i = 0; i < 3; i++)
        await server.ok('query ObsListBlockers { blockers(first: 3) { totalCount } }', {}, analyst);
      await server.ok('query ObsViewer { viewer { subject } }', {}, analyst);
      const res = await scrape(server);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const series = (metric: string, name: string) => `${metric}{operation="${name}",type="query"}`;
      expect(sample(text, series('knooppunt_graphql_operations_total', 'ObsListBlockers'))).toBe(3);
      expect(sample(text, series('knooppunt_graphql_operations_total', 'ObsViewer'))).toBe(1);
      expect(
        sample(text, series('knooppunt_graphql_operation_duration_seconds_count', 'ObsListBlockers')),
      ).toBe(3);
      expect(
        sample(text, series('knooppunt_graphql_operation_duration_seconds_sum', 'ObsListBlockers')),
      ).toBeGreaterThan(0);
      expect(text).toMatch(
        /knooppunt_graphql_operation_duration_seconds_bucket\{le="0\.1",operation="ObsListBlockers",type="query"\} \d+/,
      );
    });

    it('counts errors by extensions.code: FORBIDDEN and BAD_USER_INPUT', async () => {
      const N = await needIds(server, admin);
      const input = { title: 'Observed gap', description: 'x', type: 'NO_INTERFACE', severity: 'LOW' };
      const forbidden = await server.gql(REPORT, { input: { ...input, affectedNeedIds: [N.N17] } }, analyst);
      expect(codeOf(forbidden)).toBe('FORBIDDEN');
      const badInput = await server.gql(
        'query ObsBadInput($first: Int!) { blockers(first: $first) { totalCount } }',
        { first: 'many' },
        analyst,
      );
      expect(codeOf(badInput)).toBe('BAD_USER_INPUT');
      const text = await (await scrape(server)).text();
      expect(sample(text, 'knooppunt_graphql_errors_total{code="FORBIDDEN"}')).toBe(1);
      expect(sample(text, 'knooppunt_graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
      expect(
        sample(text, 'knooppunt_graphql_operations_total{operation="AnalystReports",type="mutation"}'),
      ).toBe(1);
    });

    it('shows the database pool, open blockers by status as in the demo data, and process metrics', async () => {
      const text = await (await scrape(server)).text();
      expect(sample(text, 'knooppunt_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'knooppunt_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'knooppunt_db_pool_waiting_requests')).toBe(0);

      const expected = new Map<string, number>(OPEN_STATUSES.map((s) => [s, 0]));
      for (const b of reference.blockers)
        if (expected.has(b.status)) expected.set(b.status, expected.get(b.status)! + 1);
      for (const [status, count] of expected)
        expect([status, sample(text, `knooppunt_blockers_open{status="${status}"}`)]).toEqual([
          status,
          count,
        ]);
      expect(text).not.toMatch(/knooppunt_blockers_open\{status="RESOLVED"\}/);

      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    });
  });

  describe('request logs', () => {
    it('are JSON lines with request id, subject and operation name, without tokens or confidential text', async () => {
      const secret = 'obs-variable-secret-7f3a';
      const res = await server.gql(
        'query ObsReadConfidential($key: String) { blocker(key: $key) { key title description } }',
        { key: 'KNP-19', unused: secret },
        admin,
        { 'x-request-id': 'obs-request-0001' },
      );
      expect(res.data?.blocker).toMatchObject({ key: 'KNP-19', title: CONFIDENTIAL.title });
      // A GET carries the query and its variables in the URL: the log keeps the path only.
      const get = await fetch(
        `${server.url}/graphql?query=${encodeURIComponent(`query ObsGet { blocker(key: "KNP-19") { title } }`)}` +
          `&variables=${encodeURIComponent(JSON.stringify({ s: secret }))}`,
        { headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' } },
      );
      expect(get.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));

      const lines = server.logs.split('\n').filter((l) => l.trim() !== '');
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries.length).toBeGreaterThan(5);
      for (const e of entries) expect(e).toEqual(expect.objectContaining({ level: expect.any(String) }));

      const line = entries.find((e) => e.requestId === 'obs-request-0001' && e.msg === 'request completed');
      expect(line).toMatchObject({
        method: 'POST',
        path: '/graphql',
        status: 200,
        subject: 'obs-admin-subject',
        operationName: 'ObsReadConfidential',
        operationType: 'query',
        level: 'info',
      });
      expect(typeof line?.durationMs).toBe('number');
      const getLine = entries.find((e) => e.operationName === 'ObsGet');
      expect(getLine).toMatchObject({ method: 'GET', path: '/graphql', subject: 'obs-admin-subject' });

      const logs = server.logs;
      expect(logs).not.toContain(admin);
      expect(logs).not.toContain(analyst);
      expect(logs).not.toMatch(/bearer/i);
      expect(logs).not.toContain(CONFIDENTIAL.title);
      expect(logs).not.toContain(CONFIDENTIAL.description);
      expect(logs).not.toContain(secret);
    });
  });
});

describe('observability switches', () => {
  const metricsToken = 'metrics-token-0123456789abcdef';
  let guarded: TestServer;
  let off: TestServer;

  beforeAll(async () => {
    [guarded, off] = await Promise.all([
      TestServer.start({ env: { METRICS_TOKEN: metricsToken } }),
      TestServer.start({ env: { METRICS_ENABLED: 'false' } }),
    ]);
  });
  afterAll(async () => Promise.all([guarded?.stop(), off?.stop()]));

  it('METRICS_TOKEN: /metrics only with that bearer token', async () => {
    expect((await scrape(guarded)).status).toBe(401);
    expect((await scrape(guarded, { authorization: `Bearer ${token('ADMIN')}` })).status).toBe(401);
    const res = await scrape(guarded, { authorization: `Bearer ${metricsToken}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('knooppunt_db_pool_connections');
  });

  it('METRICS_ENABLED=false: no /metrics', async () => {
    expect((await scrape(off)).status).toBe(404);
  });
});
