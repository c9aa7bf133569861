/**
 * `npm run backup:check` against a database the test filled through the API: the dump restores into a
 * new database with every table's row count and the audit chain (verified, same last hash) intact.
 * Once the chain of the source is tampered with, the check fails.
 */
import { Client } from 'pg';
import { needIds, providerIds } from './support/demo';
import { runScript, TestServer, token } from './support/server';

const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id version } } }`;
const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`;
const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const admin = token('ADMIN', { sub: 'backup-admin' });

/** Row count and md5 of every row of a table, to compare the source with the restored copy. */
async function fingerprint(url: string, table: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
    );
    return `${rows[0].n}:${rows[0].h}`;
  } finally {
    await client.end();
  }
}

describe('backup and restore check', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    const N = await needIds(server, admin);
    const P = await providerIds(server, admin);
    for (let i = 1; i <= 5; i++) {
      const { reportBlocker } = await server.ok<{
        reportBlocker: { blocker: { id: string; version: number } };
      }>(
        REPORT,
        {
          input: {
            title: `Back-up ${i}`,
            description: 'Filled before the backup check',
            type: 'NO_INTERFACE',
            severity: 'HIGH',
            affectedNeedIds: [N.N1, N.N2],
            ownerId: P.SVB,
          },
        },
        admin,
      );
      const { id, version } = reportBlocker.blocker;
      await server.ok(
        UPDATE,
        { input: { id, expectedVersion: version, legalReference: `art. ${i}` } },
        admin,
      );
      await server.ok(COMMENT, { input: { blockerId: id, body: `Opmerking ${i}` } }, admin);
    }
  });
  afterAll(async () => server?.stop());

  it('restores every row and the whole audit chain', async () => {
    const { rows } = await server.db.query<{ n: number; hash: string }>(
      `SELECT (SELECT count(*)::int FROM audit_event) AS n,
              (SELECT hash FROM audit_event ORDER BY chain_seq DESC LIMIT 1) AS hash`,
    );
    const result = await runScript('scripts/backup-check.ts', [
      '--database-url',
      server.databaseUrl,
      '--keep',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dump: +pg_dump --format=custom, \d+ kB/m);
    expect(result.stdout).toMatch(/^tables: +\d+ compared, \d+ rows in the source; every row count equal$/m);
    expect(result.stdout).toContain(`audit chain: ${rows[0].n} events verified in the restored copy`);
    expect(result.stdout).toContain(
      `last hash:   ${rows[0].hash} (event ${rows[0].n}) equal to the source's`,
    );
    expect(result.stdout).toMatch(/^result: +OK/m);

    // The kept copy holds exactly the source's rows (the teardown drops it with the test's databases).
    const kept = /^kept: +(\S+)$/m.exec(result.stdout)![1];
    const copyUrl = new URL(server.databaseUrl);
    copyUrl.pathname = `/${kept}`;
    for (const table of ['provider', 'data_need', 'blocker', 'blocker_need', 'comment', 'audit_event']) {
      expect(`${table} ${await fingerprint(copyUrl.toString(), table)}`).toBe(
        `${table} ${await fingerprint(server.databaseUrl, table)}`,
      );
    }
  });

  it('fails when the audit chain of the source was tampered with', async () => {
    await server.db.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    try {
      await server.db.query(`UPDATE audit_event SET reason = 'rewritten' WHERE chain_seq = 3`);
    } finally {
      await server.db.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
    }
    const result = await runScript('scripts/backup-check.ts', ['--database-url', server.databaseUrl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^audit chain: BROKEN in the restored copy at event 3 .*its content does not match its hash$/m,
    );
    expect(result.stdout).toMatch(/^result: +FAILED$/m);
  });

  it('refuses to run without a database URL', async () => {
    const result = await runScript('scripts/backup-check.ts', []);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--database-url is required\nusage: npm run backup:check/);
  });
});
