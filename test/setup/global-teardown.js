'use strict';
/**
 * Jest globalTeardown of the e2e project, the counterpart of global-setup.js (which runs in this same
 * process and leaves its state on globalThis):
 *   - drops this run's database and every `<run database>_<suffix>` database the tests created,
 *     with FORCE so that connections a test leaked do not block it;
 *   - stops the embedded PostgreSQL if the setup started it (a reused one keeps running);
 *   - restores DATABASE_URL for a following run under `jest --watch`.
 */
const { Client } = require('pg');
const { quoteIdent, redact, stopEmbedded } = require('./global-setup');

module.exports = async function globalTeardown() {
  const run = globalThis.__KNOOPPUNT_TEST_RUN__;
  const embedded = globalThis.__KNOOPPUNT_PG__;
  globalThis.__KNOOPPUNT_TEST_RUN__ = undefined;
  globalThis.__KNOOPPUNT_PG__ = undefined;

  try {
    if (run) await dropRunDatabases(run.serverUrl, run.runDb);
  } finally {
    if (embedded) await stopEmbedded(embedded);

    const state = globalThis.__KNOOPPUNT_TEST_ENV__;
    if (state && state.databaseUrl !== undefined) process.env.DATABASE_URL = state.databaseUrl;
    else delete process.env.DATABASE_URL;
    delete process.env.KNOOPPUNT_TEST_ADMIN_URL;
    delete process.env.KNOOPPUNT_TEST_DATABASE_URL;
  }
};

async function dropRunDatabases(serverUrl, runDb) {
  const client = new Client({ connectionString: serverUrl, application_name: 'knooppunt-test-teardown' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to ${redact(serverUrl)} to drop the test databases: ${error.message}`, {
      cause: error,
    });
  }
  try {
    // `_` is a LIKE wildcard, hence the exact prefix comparison.
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname = $1 OR left(datname, $2) = $3 ORDER BY datname DESC',
      [runDb, runDb.length + 1, `${runDb}_`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
