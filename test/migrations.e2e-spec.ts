/**
 * The migrations build exactly the schema the entities describe (no drift), the data source never
 * synchronizes, and `node dist/apps/api/src/main.js migrate` (npm run migrate) migrates a database and
 * exits without starting the server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, dataSourceOptions, runMigrations } from '@app/database/data-source';
import { MIGRATIONS } from '@app/database/migrations';
import { MAIN, ROOT } from './support/server';

/** A fresh `<run database>_<suffix>` database (global-teardown drops it). */
async function freshDatabase(): Promise<string> {
  const runUrl = process.env.KNOOPPUNT_TEST_DATABASE_URL!;
  const name = `${new URL(runUrl).pathname.slice(1)}_mig_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.KNOOPPUNT_TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node main.js <args>` with only PATH, NODE_ENV=test and `env`. */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('migrations', () => {
  it('never synchronizes or runs migrations implicitly', () => {
    const options = dataSourceOptions({ url: 'postgres://x@127.0.0.1/x' });
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.migrations).toEqual(MIGRATIONS);
  });

  describe('on a fresh database', () => {
    let dataSource: DataSource;
    let applied: string[];

    beforeAll(async () => {
      dataSource = createDataSource({ url: await freshDatabase(), poolSize: 2 });
      await dataSource.initialize();
      applied = await runMigrations(dataSource);
    });
    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
    });

    it('applies every migration in order', () => {
      expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
      expect(dataSource.options.synchronize).toBe(false);
    });

    it('leaves nothing for the entities to change (entities and migrations agree)', async () => {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    });

    it('is idempotent: a second run applies nothing', async () => {
      expect(await runMigrations(dataSource)).toEqual([]);
    });

    it('can be undone and redone', async () => {
      for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'all' });
      // TypeORM's own bookkeeping stays: `migrations`, and `typeorm_metadata`, which its migration
      // runner (re)creates before every run and undo because an entity has a generated column.
      const left = await dataSource.query(
        `SELECT count(*)::int AS n FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name NOT IN ('migrations', 'typeorm_metadata')`,
      );
      expect(left[0].n).toBe(0);
      expect(await runMigrations(dataSource)).toEqual(MIGRATIONS.map((m) => m.name));
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries).toEqual([]);
    });
  });

  describe('npm run migrate (main.js migrate)', () => {
    it('migrates DATABASE_URL and exits 0 without serving or loading demo data', async () => {
      const url = await freshDatabase();
      // DEMO_DATA=true and a port: neither matters to the migrate command.
      const first = await run(['migrate'], { DATABASE_URL: url, DEMO_DATA: 'true', PORT: '1' });
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain(`applied migrations: ${MIGRATIONS.map((m) => m.name).join(', ')}`);
      expect(first.stdout).not.toMatch(/GraphQL API ready|Nest application successfully started/);
      const rows = await query<{ name: string }>(url, 'SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM provider')).toEqual([{ n: 0 }]);

      const again = await run(['migrate'], { DATABASE_URL: url });
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toContain('the database is up to date');
    });

    it('fails with one readable line when the database cannot be reached', async () => {
      const result = await run(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^Migration failed: .*ECONNREFUSED/),
      ]);
    });

    it('refuses an unknown command with a usage line', async () => {
      const result = await run(['migrat'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toMatch(
        /^Unknown command "migrat"; usage: .*\[migrate \| audit:verify\]$/,
      );
    });
  });
});
