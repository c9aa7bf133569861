/**
 * Checks the e2e harness itself: global-setup.js chose a PostgreSQL server, created this run's empty
 * database and published its URL to the test workers; global-teardown.js drops it again together
 * with the per-file database created here.
 */
import { Client } from 'pg';

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('e2e harness', () => {
  const databaseUrl = process.env.KNOOPPUNT_TEST_DATABASE_URL ?? '';
  const adminUrl = process.env.KNOOPPUNT_TEST_ADMIN_URL ?? '';

  it('publishes the run database and the admin URL', () => {
    expect(databaseUrl).toMatch(/^postgres(ql)?:\/\/.+\/knooppunt_test_\d+_\d+(\?|$)/);
    expect(adminUrl).toMatch(/^postgres(ql)?:\/\/.+\/postgres(\?|$)/);
    expect(process.env.DATABASE_URL).toBe(databaseUrl);
  });

  it('connects to the run database', async () => {
    const row = await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query<{ one: number; db: string }>(
        'SELECT 1::int AS one, current_database() AS db',
      );
      return rows[0];
    });
    expect(row.one).toBe(1);
    expect(row.db).toMatch(/^knooppunt_test_\d+_\d+$/);
  });

  it('lets a test file create its own `<run database>_<suffix>` database', async () => {
    const runDb = new URL(databaseUrl).pathname.slice(1);
    const fileDb = `${runDb}_smoke`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${fileDb}"`));
    const fileUrl = new URL(databaseUrl);
    fileUrl.pathname = `/${fileDb}`;
    const db = await withClient(fileUrl.toString(), async (client) => {
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      return rows[0].db;
    });
    expect(db).toBe(fileDb);
    // Left in place on purpose: global-teardown.js drops it.
  });
});
