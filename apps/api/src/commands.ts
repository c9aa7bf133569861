import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '@app/audit/audit-chain';
import { AppConfig } from '@app/config';
import { createDataSource, EmbeddedDatabase, runMigrations, startEmbeddedPostgres } from '@app/database';
import { NestPinoLogger, rootLogger } from './observability/logger';

/**
 * Open the configured database (DATABASE_URL, or the embedded PostgreSQL when none is set), run the
 * work, and close everything again, without starting the server or loading demo data.
 */
async function withDatabase<T>(
  config: AppConfig,
  name: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  Logger.overrideLogger(new NestPinoLogger(rootLogger(config)));
  let embedded: EmbeddedDatabase | null = null;
  if (!config.databaseUrl)
    embedded = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort);
  const dataSource = createDataSource({
    url: config.databaseUrl ?? embedded!.url,
    // runMigrations holds one connection for its lock while the migrations run on another.
    poolSize: 2,
    applicationName: `knooppunt-${name}`,
  });
  try {
    await dataSource.initialize();
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

/** `main.js migrate` (npm run migrate): apply pending migrations. */
export async function migrate(config: AppConfig): Promise<void> {
  const applied = await withDatabase(config, 'migrate', runMigrations);
  new Logger('Migrate').log(
    applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'the database is up to date',
  );
}

/**
 * `main.js audit:verify` (npm run audit:verify): walk the audit hash chain; exit code 0 when it is
 * whole, 3 with the first broken link otherwise.
 */
export async function auditVerify(config: AppConfig): Promise<number> {
  const report = await withDatabase(config, 'audit-verify', verifyAuditChain);
  if (report.ok) {
    process.stdout.write(`audit chain intact: ${report.events} events verified\n`);
    return 0;
  }
  const broken = report.firstBroken!;
  process.stdout.write(
    `audit chain BROKEN at event ${broken.chainSeq} of the chain (audit_event id ${broken.id}): ${broken.reason}; ` +
      `${report.events} events before it verified\n`,
  );
  return 3;
}
