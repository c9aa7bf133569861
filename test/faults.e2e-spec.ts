/**
 * PostgreSQL restarted under load. The server runs in production mode on a PostgreSQL of this test's
 * own (test/support/postgres.ts), while workers send a stream of reads, reportBlocker and updateBlocker
 * calls (each update with the version its worker last saw). PostgreSQL is stopped with a fast shutdown
 * in the middle of the stream and started again a few seconds later. Checked:
 *
 * - while it is down, /health/ready answers 503 and /health/live 200;
 * - every request that fails, fails with SERVICE_UNAVAILABLE and `retriable: true`: never
 *   INTERNAL_SERVER_ERROR, never SQL or a stack trace in the answer, never a dropped connection;
 * - the server reconnects by itself: ready again, and every request after that succeeds;
 * - nothing is half-written: every mutation answered OK is in the database, every one refused is not,
 *   every blocker has its audit events, the needs' derived states agree with their blockers, and
 *   `audit:verify` finds the hash chain whole.
 */
import { Client } from 'pg';
import { expectNoLeak, localId } from './support/checks';
import { needIds, providerIds } from './support/demo';
import { DedicatedPostgres } from './support/postgres';
import { codeOf, GraphQLResponse, runCommand, TestServer, token } from './support/server';

const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id version } } }`;
const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version legalReference } }`;
const READ = `query { blockers(first: 20) { totalCount nodes { key title version affectedNeeds(first: 5) { nodes { state } } } } }`;

const WORKERS = 6;
const OPEN = `('REPORTED','TRIAGED','PRIORITISED','IN_PROGRESS','ESCALATED')`;

type Phase = 'before' | 'down' | 'after';

interface Outcome {
  phase: Phase;
  op: 'report' | 'update' | 'read';
  /** null: answered without errors. */
  code: string | null;
  retriable?: boolean;
  /** report: the title sent; update: the legalReference sent. */
  marker?: string;
  blockerId?: string;
  /** The request did not get an HTTP answer at all. */
  network?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}

describe('PostgreSQL restarted under load', () => {
  let pg: DedicatedPostgres;
  let server: TestServer;
  const admin = token('ADMIN', { sub: 'faults-admin' });
  const analyst = token('ANALYST', { sub: 'faults-analyst' });

  beforeAll(async () => {
    pg = await DedicatedPostgres.create();
    const client = new Client({ connectionString: pg.adminUrl });
    await client.connect();
    await client.query('CREATE DATABASE knooppunt');
    await client.end();
    server = await TestServer.start({
      demo: true,
      databaseUrl: pg.urlOf('knooppunt'),
      env: { NODE_ENV: 'production', DB_POOL_SIZE: '5' },
    });
    // The harness's own pool loses its idle connections when PostgreSQL stops; that is expected here.
    server.db.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
  });

  it('fails cleanly while it is down, recovers by itself and leaves nothing half-written', async () => {
    const N = await needIds(server, admin);
    const P = await providerIds(server, admin);
    const needs = [N.N1, N.N2, N.N3, N.N4];

    let phase: Phase = 'before';
    let running = true;
    const outcomes: Outcome[] = [];

    const record = (o: Omit<Outcome, 'code' | 'retriable'>, res: GraphQLResponse): Outcome => {
      expectNoLeak(res);
      const code = codeOf(res) ?? null;
      const outcome: Outcome = { ...o, code, retriable: res.errors?.[0]?.extensions?.retriable };
      outcomes.push(outcome);
      return outcome;
    };

    const call = async (
      o: Omit<Outcome, 'code' | 'retriable'>,
      query: string,
      variables: Record<string, unknown>,
      bearer: string,
    ): Promise<GraphQLResponse | null> => {
      try {
        const res = await server.gql(query, variables, bearer);
        record(o, res);
        return res;
      } catch (error) {
        outcomes.push({ ...o, code: null, network: (error as Error).message });
        return null;
      }
    };

    const worker = async (w: number): Promise<void> => {
      const owned: Array<{ id: string; version: number }> = [];
      for (let n = 0; running; n++) {
        const at = phase;
        const kind = n % 4 === 3 ? 'read' : n % 4 === 0 || owned.length === 0 ? 'report' : 'update';
        if (kind === 'read') {
          await call({ phase: at, op: 'read' }, READ, {}, analyst);
        } else if (kind === 'report') {
          const title = `Storing w${w} n${n}`;
          const res = await call(
            { phase: at, op: 'report', marker: title },
            REPORT,
            {
              input: {
                title,
                description: 'Reported while PostgreSQL restarts',
                type: 'NO_INTERFACE',
                severity: 'MEDIUM',
                affectedNeedIds: [needs[(w + n) % needs.length]],
                ownerId: P.UWV,
              },
            },
            admin,
          );
          const blocker = (res?.data as { reportBlocker?: { blocker: { id: string; version: number } } })
            ?.reportBlocker?.blocker;
          if (blocker) owned.push({ ...blocker });
        } else {
          const target = owned[n % owned.length];
          const value = `w${w}-n${n}`;
          const res = await call(
            { phase: at, op: 'update', marker: value, blockerId: target.id },
            UPDATE,
            { input: { id: target.id, expectedVersion: target.version, legalReference: value } },
            admin,
          );
          const updated = (res?.data as { updateBlocker?: { version: number } })?.updateBlocker;
          if (updated) target.version = updated.version;
        }
      }
    };

    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));

    await sleep(2000);
    phase = 'down';
    await pg.stop();
    // Nothing answers the database now: readiness fails, liveness does not.
    expect(await status(`${server.url}/health/ready`)).toBe(503);
    expect(await status(`${server.url}/health/live`)).toBe(200);
    await sleep(3000);
    expect(await status(`${server.url}/health/ready`)).toBe(503);
    expect(await status(`${server.url}/health/live`)).toBe(200);

    await pg.start();
    const restarted = Date.now();
    const deadline = restarted + 30_000;
    while ((await status(`${server.url}/health/ready`)) !== 200) {
      if (Date.now() > deadline) throw new Error(`the server did not reconnect:\n${server.logs}`);
      await sleep(100);
    }
    phase = 'after';
    const reconnectMs = Date.now() - restarted;
    await sleep(2000);
    running = false;
    await Promise.all(workers);

    // No dropped connection, no code but SERVICE_UNAVAILABLE, always marked retriable.
    expect(outcomes.filter((o) => o.network)).toEqual([]);
    const failed = outcomes.filter((o) => o.code !== null);
    expect([...new Set(failed.map((o) => o.code))]).toEqual(['SERVICE_UNAVAILABLE']);
    expect(failed.every((o) => o.retriable === true)).toBe(true);
    // The outage was felt, and every request once the server was ready again succeeded.
    expect(outcomes.filter((o) => o.phase === 'down' && o.code !== null).length).toBeGreaterThan(0);
    const after = outcomes.filter((o) => o.phase === 'after');
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((o) => o.code !== null)).toEqual([]);
    for (const op of ['report', 'update', 'read'] as const) {
      expect(outcomes.filter((o) => o.op === op && o.code === null).length).toBeGreaterThan(0);
    }

    // Reported: answered OK means there, refused means absent.
    const { rows: blockers } = await server.db.query<{
      id: string;
      title: string;
      legal_reference: string | null;
      version: number;
    }>(`SELECT id, title, legal_reference, version FROM blocker WHERE title LIKE 'Storing %'`);
    const titles = new Set(blockers.map((b) => b.title));
    const reports = outcomes.filter((o) => o.op === 'report');
    expect(reports.filter((o) => o.code === null && !titles.has(o.marker!))).toEqual([]);
    expect(reports.filter((o) => o.code !== null && titles.has(o.marker!))).toEqual([]);
    expect(blockers).toHaveLength(reports.filter((o) => o.code === null).length);

    // Updated: each answered OK has its event, none refused has one; the last OK value is the one stored.
    const { rows: events } = await server.db.query<{ blocker_id: string; value: string }>(
      `SELECT e.blocker_id, c->>'to' AS value
         FROM audit_event e, jsonb_array_elements(e.changes) c
        WHERE e.action = 'blocker.updated' AND c->>'field' = 'legalReference'`,
    );
    const written = new Set(events.map((e) => e.value));
    const updates = outcomes.filter((o) => o.op === 'update');
    expect(updates.filter((o) => o.code === null && !written.has(o.marker!))).toEqual([]);
    expect(updates.filter((o) => o.code !== null && written.has(o.marker!))).toEqual([]);
    expect(events).toHaveLength(updates.filter((o) => o.code === null).length);
    for (const b of blockers) {
      const mine = updates.filter((o) => o.code === null && localId(o.blockerId!) === b.id);
      expect({ id: b.id, value: b.legal_reference, version: b.version }).toEqual({
        id: b.id,
        value: mine.length > 0 ? mine[mine.length - 1].marker : null,
        version: 1 + mine.length,
      });
    }

    // Every blocker has its report event and an affected need; every need's state fits its blockers.
    const { rows: orphans } = await server.db.query(
      `SELECT b.number FROM blocker b
        WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.blocker_id = b.id AND e.action = 'blocker.reported')
           OR NOT EXISTS (SELECT 1 FROM blocker_need bn WHERE bn.blocker_id = b.id)`,
    );
    expect(orphans).toEqual([]);
    const { rows: wrongStates } = await server.db.query(
      `SELECT n.id, n.state FROM data_need n
        WHERE (n.state = 'BLOCKED') <> EXISTS (
          SELECT 1 FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
           WHERE bn.need_id = n.id AND b.status IN ${OPEN})`,
    );
    expect(wrongStates).toEqual([]);

    const verify = await runCommand('audit:verify', server.databaseUrl);
    expect(verify.stdout).toMatch(/^audit chain intact: \d+ events verified/);
    expect(verify.code).toBe(0);

    console.log(
      `faults: ${outcomes.length} requests (${outcomes.filter((o) => o.phase === 'down').length} during the outage), ` +
        `${failed.length} SERVICE_UNAVAILABLE (${failed.filter((o) => o.phase === 'before').length} sent before the stop), ` +
        `${blockers.length} blockers reported, ${events.length} updates stored; ready ${reconnectMs} ms after the restart`,
    );
  }, 120_000);
});
