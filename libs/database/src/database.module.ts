import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createDataSource, runMigrations } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/**
 * Provides the DataSource: connects to DATABASE_URL, or to an embedded PostgreSQL started in
 * EMBEDDED_PG_DIR when none is configured, and brings the schema up to date with the migrations.
 */
@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<EmbeddedDatabase | null> =>
        config.databaseUrl ? null : startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort),
    },
    {
      provide: DataSource,
      inject: [AppConfig, EMBEDDED_DATABASE],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabase | null): Promise<DataSource> => {
        const url = config.databaseUrl ?? embedded!.url;
        const dataSource = createDataSource({
          url,
          poolSize: config.dbPoolSize,
          debug: config.logLevel === 'debug' || config.logLevel === 'trace',
        });
        await dataSource.initialize();
        const applied = await runMigrations(dataSource);
        if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
        return dataSource;
      },
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}
