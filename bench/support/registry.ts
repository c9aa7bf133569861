/**
 * The bench database: created and seeded with the synthetic generator (scripts/seed-synthetic.ts) when
 * needed, and the scenario parameters picked from what it holds.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { OPEN_STATUSES } from '@app/blockers/domain/workflow';
import { toGlobalId } from '@app/core/global-id';

export const ROOT = resolve(__dirname, '..', '..');

export interface RegistrySize {
  providers: number;
  needs: number;
  blockers: number;
  seed: number;
}

/**
 * The version of what scripts/seed-synthetic.ts generates; raise it when the generator changes what it
 * writes, so that --reuse seeds again rather than measure a registry of the old shape.
 * 2: subjects of blocker texts drawn with Zipf weights from 50 (was: 23 words, uniformly).
 */
export const GENERATOR_VERSION = 2;

/** How the registry was seeded; kept as the database's comment so that --reuse can report it. */
export interface SeedInfo extends RegistrySize {
  seconds: number;
  at: string;
  /** GENERATOR_VERSION at seeding; absent for version 1. */
  generator?: number;
}

export interface RegistryCounts {
  providers: number;
  needs: number;
  blockers: number;
  openBlockers: number;
  links: number;
  dependencies: number;
  auditEvents: number;
}

/** The subject of the user the generator writes everything as. */
const SYNTHETIC_SUBJECT = 'knooppunt:synthetic';

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'knooppunt-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function databaseExists(url: string): Promise<boolean> {
  return withClient(adminUrl(url), async (c) => {
    const res = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName(url)]);
    return res.rowCount === 1;
  });
}

/** Drop (when present) and create the database. Only a database whose name says it is a bench one. */
async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/bench/i.test(name)) {
    throw new Error(`refusing to drop database "${name}": a bench database's name contains "bench"`);
  }
  await withClient(adminUrl(url), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}

/** What the database holds, or null when it holds no synthetic registry (or no schema at all). */
export async function registryCounts(url: string): Promise<RegistryCounts | null> {
  if (!(await databaseExists(url))) return null;
  return withClient(url, async (c) => {
    const schema = await c.query(`SELECT to_regclass('public.blocker') IS NOT NULL AS present`);
    if (!(schema.rows[0] as { present: boolean }).present) return null;
    const marker = await c.query('SELECT 1 FROM app_user WHERE subject = $1', [SYNTHETIC_SUBJECT]);
    if (marker.rowCount !== 1) return null;
    const res = await c.query<Record<keyof RegistryCounts, number>>(
      `SELECT (SELECT count(*) FROM provider)::int AS providers,
              (SELECT count(*) FROM data_need)::int AS needs,
              (SELECT count(*) FROM blocker)::int AS blockers,
              (SELECT count(*) FROM blocker WHERE status = ANY($1::blocker_status[]))::int AS "openBlockers",
              (SELECT count(*) FROM blocker_need)::int AS links,
              (SELECT count(*) FROM blocker_dependency)::int AS dependencies,
              (SELECT count(*) FROM audit_event)::int AS "auditEvents"`,
      [OPEN_STATUSES],
    );
    return res.rows[0];
  });
}

async function readSeedInfo(url: string): Promise<SeedInfo | null> {
  return withClient(url, async (c) => {
    const res = await c.query<{ comment: string | null }>(
      'SELECT shobj_description(oid, $1) AS comment FROM pg_database WHERE datname = $2',
      ['pg_database', databaseName(url)],
    );
    const comment = res.rows[0]?.comment;
    if (!comment) return null;
    try {
      return JSON.parse(comment) as SeedInfo;
    } catch {
      return null;
    }
  });
}

async function writeSeedInfo(url: string, info: SeedInfo): Promise<void> {
  await withClient(url, async (c) => {
    const literal = JSON.stringify(info).replace(/'/g, "''");
    await c.query(`COMMENT ON DATABASE ${quoteIdent(databaseName(url))} IS '${literal}'`);
  });
}

/** Run the generator as `npm run seed:synthetic` does, its progress shown on our stderr. */
async function runGenerator(url: string, size: RegistrySize): Promise<void> {
  const args = [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    'scripts/seed-synthetic.ts',
    ...['--providers', String(size.providers), '--needs', String(size.needs)],
    ...['--blockers', String(size.blockers), '--seed', String(size.seed), '--database-url', url],
  ];
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`the synthetic generator exited with ${code}`)),
    );
  });
}

const holds = (counts: RegistryCounts | null, size: RegistrySize): counts is RegistryCounts =>
  counts !== null &&
  counts.providers === size.providers &&
  counts.needs === size.needs &&
  counts.blockers >= size.blockers;

export interface PreparedRegistry {
  /** True when this run seeded it; false when --reuse found it in place. */
  seededNow: boolean;
  seed: SeedInfo | null;
  counts: RegistryCounts;
}

/**
 * Make sure the database holds the synthetic registry of this size. With reuse, a database that already
 * holds it is kept (the bench's own reports from earlier runs included); otherwise it is recreated.
 */
export async function prepareRegistry(
  url: string,
  size: RegistrySize,
  reuse: boolean,
  log: (line: string) => void,
): Promise<PreparedRegistry> {
  const existing = await registryCounts(url);
  const previous = existing === null ? null : await readSeedInfo(url);
  if (reuse && holds(existing, size) && (previous?.generator ?? 1) === GENERATOR_VERSION) {
    log(`reusing the registry in ${databaseName(url)} (${existing.blockers} blockers)`);
    return { seededNow: false, seed: previous, counts: existing };
  }
  if (reuse && holds(existing, size)) log('the registry there was made by an older generator');
  log(`seeding ${databaseName(url)}: ${JSON.stringify(size)}`);
  await recreateDatabase(url);
  const started = process.hrtime.bigint();
  await runGenerator(url, size);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // As autovacuum would soon: the visibility map lets index-only scans skip the freshly written heap.
  await withClient(url, (c) => c.query('VACUUM (ANALYZE)'));
  const seed: SeedInfo = {
    ...size,
    seconds: Math.round(seconds * 10) / 10,
    at: new Date().toISOString(),
    generator: GENERATOR_VERSION,
  };
  await writeSeedInfo(url, seed);
  const counts = await registryCounts(url);
  if (!holds(counts, size)) throw new Error('the generator finished but the registry is not there');
  log(`seeded in ${seed.seconds} s`);
  return { seededNow: true, seed, counts };
}

// ---------------------------------------------------------------- scenario parameters

export interface Parameters {
  /** The open blocker with the most affected needs plus direct dependents. */
  mostConnected: { id: string; key: string; needs: number; dependents: number };
  /** A blocker key for the trivial lookup. */
  lookupKey: string;
  /** 100 open blockers for whatIf, a fixed pseudo-random choice. */
  whatIf: string[];
  /** The requester with the most needs, the focus of blockerGraph. */
  focusProvider: { id: string; name: string; needs: number };
  searchTerm: string;
  /** How many blockers the search term matches (the synthetic titles and descriptions share 23 words). */
  searchMatches: number;
  period: { from: string; to: string };
  /** Live needs to report blockers on (STEERING may report on any need). */
  reportNeeds: string[];
}

export async function pickParameters(url: string, now: Date): Promise<Parameters> {
  return withClient(url, async (c) => {
    const open = [OPEN_STATUSES];
    const connected = await c.query<{ id: string; number: number; needs: number; dependents: number }>(
      `SELECT * FROM (
         SELECT b.id, b.number,
                (SELECT count(*) FROM blocker_need bn WHERE bn.blocker_id = b.id)::int AS needs,
                (SELECT count(*) FROM blocker_dependency d WHERE d.depends_on_id = b.id)::int AS dependents
         FROM blocker b WHERE b.status = ANY($1::blocker_status[])
       ) c ORDER BY c.needs + c.dependents DESC, c.number LIMIT 1`,
      open,
    );
    const picked = await c.query<{ id: string }>(
      `SELECT id FROM blocker WHERE status = ANY($1::blocker_status[]) ORDER BY md5(id::text) LIMIT 100`,
      open,
    );
    const focus = await c.query<{ id: string; name: string; needs: number }>(
      `SELECT p.id, p.name, count(*)::int AS needs FROM data_need n JOIN provider p ON p.id = n.requester_id
       GROUP BY p.id ORDER BY needs DESC, p.id LIMIT 1`,
    );
    const lookup = await c.query<{ number: number }>(
      `SELECT number FROM blocker WHERE status = ANY($1::blocker_status[]) AND NOT confidential
       ORDER BY md5(id::text) LIMIT 1`,
      open,
    );
    const needs = await c.query<{ id: string }>(
      `SELECT id FROM data_need WHERE state <> 'WITHDRAWN' ORDER BY md5(id::text) LIMIT 2000`,
    );
    const searchTerm = 'belastingschuld';
    const matches = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM blocker b WHERE b.search_vector @@ (websearch_to_tsquery('dutch', $1)
         || websearch_to_tsquery('english', $1) || websearch_to_tsquery('simple', $1))`,
      [searchTerm],
    );
    const top = connected.rows[0];
    if (!top || picked.rows.length === 0 || !focus.rows[0] || !lookup.rows[0] || needs.rows.length === 0)
      throw new Error('the registry holds too little to pick the scenario parameters from');
    const yearAgo = new Date(now);
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    return {
      mostConnected: {
        id: toGlobalId('Blocker', top.id),
        key: `KNP-${top.number}`,
        needs: top.needs,
        dependents: top.dependents,
      },
      lookupKey: `KNP-${lookup.rows[0].number}`,
      whatIf: picked.rows.map((r) => toGlobalId('Blocker', r.id)),
      focusProvider: { ...focus.rows[0], id: toGlobalId('Provider', focus.rows[0].id) },
      searchTerm,
      searchMatches: matches.rows[0].n,
      period: { from: yearAgo.toISOString(), to: now.toISOString() },
      reportNeeds: needs.rows.map((r) => toGlobalId('DataNeed', r.id)),
    };
  });
}

/** PostgreSQL's version string, e.g. "15.20". */
export async function postgresVersion(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const res = await c.query<{ server_version: string }>('SHOW server_version');
    return res.rows[0].server_version;
  });
}
