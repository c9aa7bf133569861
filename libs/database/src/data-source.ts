import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { QueryLogger } from './query-logger';
import { installTimestampParser } from './timestamps';

export interface DataSourceSettings {
  url: string;
  poolSize?: number;
  debug?: boolean;
  applicationName?: string;
}

/** The one definition of how Knooppunt talks to PostgreSQL: migrations only, never synchronize. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  // The same Date values as pg's own parser gives, read without regular expressions (hot paths).
  installTimestampParser();
  return {
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: new QueryLogger(settings.debug ?? false),
    maxQueryExecutionTime: 2000,
    applicationName: settings.applicationName ?? 'knooppunt',
    extra: {
      max: settings.poolSize ?? 10,
      // Under a burst, requests queue for a connection rather than fail at once.
      connectionTimeoutMillis: 30000,
      idleTimeoutMillis: 30000,
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/** An arbitrary constant: instances starting together run migrations one after the other. */
const MIGRATION_LOCK = 4_812_207;

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await dataSource.runMigrations({ transaction: 'all' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
