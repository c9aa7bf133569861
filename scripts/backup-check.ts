/**
 * Proves that a backup of a registry database can be restored:
 *   npm run backup:check -- --database-url postgres://user@host:5432/knooppunt [--file backup.dump] [--keep]
 *
 * 1. pg_dump in custom format (-Fc) into --file (default: a temporary file, deleted afterwards);
 * 2. pg_restore into a new, empty database on the same server (`<database>_restore_<time>`; the
 *    connecting user needs CREATEDB), dropped afterwards unless --keep;
 * 3. compares the row count of every table of the public schema, source against copy;
 * 4. walks the audit hash chain in the copy (as `audit:verify` does) and compares its last hash with
 *    the source's.
 *
 * Prints a short report; exit code 0 when everything matches, 1 when something differs, 2 on bad
 * arguments. pg_dump and pg_restore come from the PATH and must be at least the server's major version.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { verifyAuditChain } from '@app/audit/audit-chain';
import { createDataSource } from '@app/database/data-source';

const USAGE =
  'usage: npm run backup:check -- --database-url postgres://user@host:5432/db [--file backup.dump] [--keep]';

interface ChainEnd {
  events: number;
  lastSeq: string | null;
  lastHash: string | null;
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'knooppunt-backup-check' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Row count of every base table of the public schema, by name. */
async function rowCounts(url: string): Promise<Map<string, number>> {
  return withClient(url, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const counts = new Map<string, number>();
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${client.escapeIdentifier(name)}`,
      );
      counts.set(name, Number(rows[0].n));
    }
    return counts;
  });
}

async function chainEnd(url: string): Promise<ChainEnd> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string; seq: string | null; hash: string | null }>(
      `SELECT (SELECT count(*) FROM audit_event) AS n, e.chain_seq AS seq, e.hash
         FROM (SELECT 1) one LEFT JOIN LATERAL
              (SELECT chain_seq, hash FROM audit_event ORDER BY chain_seq DESC LIMIT 1) e ON true`,
    );
    return { events: Number(rows[0].n), lastSeq: rows[0].seq, lastHash: rows[0].hash };
  });
}

const seconds = (from: bigint): string => (Number(process.hrtime.bigint() - from) / 1e9).toFixed(2);

async function main(): Promise<void> {
  let values: { 'database-url'?: string; file?: string; keep?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        'database-url': { type: 'string' },
        file: { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sourceUrl = values['database-url'];
  if (!sourceUrl || !/^postgres(ql)?:\/\//.test(sourceUrl)) fail(`--database-url is required\n${USAGE}`, 2);

  const source = new URL(sourceUrl);
  const sourceDb = decodeURIComponent(source.pathname.slice(1));
  // PostgreSQL cuts names at 63 bytes: shorten the source's name, never the part that makes it unique.
  const suffix = `_restore_${Date.now().toString(36)}`;
  const copyDb = `${sourceDb.slice(0, 63 - suffix.length)}${suffix}`;
  const copy = new URL(sourceUrl);
  copy.pathname = `/${encodeURIComponent(copyDb)}`;
  const copyUrl = copy.toString();

  const folder = values.file ? null : mkdtempSync(join(tmpdir(), 'knooppunt-backup-'));
  const file = values.file ?? join(folder!, `${sourceDb}.dump`);
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  let created = false;
  try {
    const version = await withClient(
      sourceUrl,
      async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0],
    );
    out(
      `backup check of ${sourceDb} on ${source.hostname}:${source.port || 5432} (PostgreSQL ${version.server_version})`,
    );

    let started = process.hrtime.bigint();
    execFileSync('pg_dump', ['--format=custom', `--file=${file}`, sourceUrl], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    out(
      `dump:        pg_dump --format=custom, ${(statSync(file).size / 1024).toFixed(0)} kB in ${seconds(started)} s -> ${values.file ?? 'a temporary file'}`,
    );

    await withClient(sourceUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(copyDb)}`));
    created = true;
    started = process.hrtime.bigint();
    execFileSync(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${copyUrl}`, file],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    out(`restore:     pg_restore into the new database ${copyDb} in ${seconds(started)} s`);

    const [before, after] = [await rowCounts(sourceUrl), await rowCounts(copyUrl)];
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    const differing = names.filter((n) => before.get(n) !== after.get(n));
    const total = [...before.values()].reduce((s, n) => s + n, 0);
    out(
      `tables:      ${names.length} compared, ${total} rows in the source; ` +
        (differing.length === 0 ? 'every row count equal' : `${differing.length} differ`),
    );
    for (const name of differing) {
      out(
        `  DIFFERS    ${name}: ${before.get(name) ?? 'missing'} in the source, ${after.get(name) ?? 'missing'} restored`,
      );
    }

    const dataSource = createDataSource({
      url: copyUrl,
      poolSize: 1,
      applicationName: 'knooppunt-backup-check',
    });
    await dataSource.initialize();
    const chain = await verifyAuditChain(dataSource).finally(() => dataSource.destroy());
    const [sourceEnd, copyEnd] = [await chainEnd(sourceUrl), await chainEnd(copyUrl)];
    const sameEnd = sourceEnd.lastHash === copyEnd.lastHash && sourceEnd.lastSeq === copyEnd.lastSeq;
    if (chain.ok) {
      out(`audit chain: ${chain.events} events verified in the restored copy`);
    } else {
      const b = chain.firstBroken!;
      out(
        `audit chain: BROKEN in the restored copy at event ${b.chainSeq} (audit_event id ${b.id}): ${b.reason}`,
      );
    }
    out(
      `last hash:   ${copyEnd.lastHash ?? '(no events)'} (event ${copyEnd.lastSeq ?? '-'}) ` +
        (sameEnd
          ? "equal to the source's"
          : `DIFFERS from the source's ${sourceEnd.lastHash} (event ${sourceEnd.lastSeq})`),
    );

    const ok = differing.length === 0 && chain.ok && sameEnd;
    out(`result:      ${ok ? 'OK, the backup restores completely' : 'FAILED'}`);
    if (values.keep) out(`kept:        ${copyDb}`);
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    const e = error as Error & { stderr?: Buffer };
    const detail = e.stderr?.toString().trim() || e.message;
    out('result:      FAILED');
    process.stderr.write(`backup check failed: ${detail.split('\n')[0]}\n`);
    process.exitCode = 1;
  } finally {
    if (created && !values.keep) {
      await withClient(sourceUrl, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(copyDb)} WITH (FORCE)`),
      ).catch(() => undefined);
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

void main();
