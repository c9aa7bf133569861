/**
 * Graceful shutdown: on SIGTERM the server stops accepting connections at once, lets the requests in
 * flight finish, closes its database pool and exits 0; a request that outlasts SHUTDOWN_TIMEOUT_MS is
 * cut off and the process exits 1 saying so. The slow request is an updateBlocker waiting for a row
 * lock the test holds in its own transaction, so the test decides when it may finish.
 */
import { connect } from 'node:net';
import { PoolClient } from 'pg';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { key version legalReference } }`;
const admin = token('ADMIN', { sub: 'shutdown-admin' });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether a new TCP connection to the server's port is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

/** Lock KNP-1's row in a transaction of the test's own; updates of it wait until `release`. */
async function lockKnp1(server: TestServer): Promise<{ release: () => Promise<void> }> {
  const client: PoolClient = await server.db.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM blocker WHERE number = 1 FOR UPDATE');
  let held = true;
  return {
    release: async () => {
      if (!held) return;
      held = false;
      await client.query('COMMIT').catch(() => undefined);
      client.release();
    },
  };
}

/**
 * Lock KNP-1, start an update of it and wait until that update is blocked on the lock inside the
 * server. (Reads may touch the row too, so the blocker is read before the lock is taken.)
 */
async function slowUpdate(
  server: TestServer,
  value: string,
): Promise<{ answer: Promise<GraphQLResponse>; lock: { release: () => Promise<void> } }> {
  const { blocker } = await server.ok<{ blocker: { id: string; version: number } }>(
    '{ blocker(key: "KNP-1") { id version } }',
    {},
    admin,
  );
  const lock = await lockKnp1(server);
  const answer = server.gql(
    UPDATE,
    {
      input: { id: blocker.id, expectedVersion: blocker.version, legalReference: value },
    },
    admin,
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'knooppunt'`,
    );
    if (rows[0].n > 0) return { answer, lock };
    if (Date.now() > deadline) throw new Error('the update never waited for the lock');
    await sleep(50);
  }
}

describe('graceful shutdown', () => {
  it('finishes the request in flight, refuses new connections and exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const server = await TestServer.start({ demo: true, env: { SHUTDOWN_TIMEOUT_MS: '15000' } });
    let lock: { release: () => Promise<void> } | undefined;
    try {
      const slow = await slowUpdate(server, 'finished during shutdown');
      lock = slow.lock;
      const answer = slow.answer;
      const exit = server.terminate('SIGTERM');
      // The listener closes at once: a new connection is refused while the update still waits.
      const deadline = Date.now() + 5000;
      while (!(await refused(server.url))) {
        if (Date.now() > deadline)
          throw new Error(`still accepting connections after SIGTERM:\n${server.logs}`);
        await sleep(50);
      }
      await sleep(500);
      await lock.release();

      const res = await answer;
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        updateBlocker: {
          key: 'KNP-1',
          version: expect.any(Number),
          legalReference: 'finished during shutdown',
        },
      });
      const { code, signal, ms } = await exit;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(ms).toBeLessThan(15_000);
      console.log(`shutdown: exit 0 ${ms} ms after SIGTERM, the slow request answered`);
      // The change and its audit event were committed before the pool closed.
      const { rows } = await server.db.query(
        `SELECT b.legal_reference, count(e.id)::int AS events FROM blocker b
           LEFT JOIN audit_event e ON e.blocker_id = b.id AND e.action = 'blocker.updated'
          WHERE b.number = 1 GROUP BY b.legal_reference`,
      );
      expect(rows).toEqual([{ legal_reference: 'finished during shutdown', events: 1 }]);
    } finally {
      await lock?.release();
      await server.stop();
    }
  }, 90_000);

  it('cuts off a request that outlasts SHUTDOWN_TIMEOUT_MS and exits 1 saying so', async () => {
    const server = await TestServer.start({ demo: true, env: { SHUTDOWN_TIMEOUT_MS: '2000' } });
    let lock: { release: () => Promise<void> } | undefined;
    try {
      const slow = await slowUpdate(server, 'never stored');
      lock = slow.lock;
      const answer = slow.answer.then(
        (res) => ({ dropped: false, res }),
        () => ({ dropped: true, res: null }),
      );
      const { code, signal } = await server.terminate('SIGTERM');
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      expect(server.logs).toMatch(
        /shutdown took longer than SHUTDOWN_TIMEOUT_MS \(2000 ms\); 1 request\(s\) cut off/,
      );
      // The client sees its connection dropped, never a success.
      const { dropped, res } = await answer;
      expect(dropped || (res !== null && codeOf(res) !== undefined)).toBe(true);
      await lock.release();
      const { rows } = await server.db.query(`SELECT legal_reference FROM blocker WHERE number = 1`);
      expect(rows[0].legal_reference).not.toBe('never stored');
    } finally {
      await lock?.release();
      await server.stop();
    }
  }, 90_000);
});
