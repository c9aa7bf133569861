import { Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createDataSource, EmbeddedDatabase, runMigrations, startEmbeddedPostgres } from '@app/database';

/**
 * `main.js migrate` (npm run migrate): applies pending migrations to DATABASE_URL, or to the embedded
 * PostgreSQL when none is set, and returns without starting the server or loading demo data.
 */
export async function migrate(config: AppConfig): Promise<void> {
  const logger = new Logger('Migrate');
  let embedded: EmbeddedDatabase | null = null;
  if (!config.databaseUrl)
    embedded = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort);
  const dataSource = createDataSource({
    url: config.databaseUrl ?? embedded!.url,
    // runMigrations holds one connection for its lock while the migrations run on another.
    poolSize: 2,
    applicationName: 'knooppunt-migrate',
  });
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    logger.log(
      applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'the database is up to date',
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}
