import { DataSource } from 'typeorm';
import { ChainReport, verifyAuditChain } from '@app/audit/audit-chain';
import { AppConfig } from '@app/config';
import { createDataSource, runMigrations } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/**
 * Operator commands shared by the API binary (`main.js migrate | audit:verify`) and the CLI: they open
 * the configured database (DATABASE_URL, or the embedded PostgreSQL when none is set), do their work
 * and close everything again, without starting the server or loading demo data.
 */
export async function withDatabase<T>(
  config: AppConfig,
  name: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
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

/** Apply pending migrations; returns the one-line outcome. */
export async function migrateDatabase(config: AppConfig): Promise<string> {
  const applied = await withDatabase(config, 'migrate', runMigrations);
  return applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'the database is up to date';
}

/**
 * Walk the audit hash chain: exit code 0 and a count when it is whole, 3 and the first broken link
 * otherwise.
 */
export async function verifyAudit(config: AppConfig): Promise<{ exitCode: number; text: string }> {
  const report: ChainReport = await withDatabase(config, 'audit-verify', verifyAuditChain);
  if (report.ok) return { exitCode: 0, text: `audit chain intact: ${report.events} events verified\n` };
  const broken = report.firstBroken!;
  return {
    exitCode: 3,
    text:
      `audit chain BROKEN at event ${broken.chainSeq} of the chain (audit_event id ${broken.id}): ${broken.reason}; ` +
      `${report.events} events before it verified\n`,
  };
}
