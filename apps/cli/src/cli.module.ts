import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@app/analytics';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { BlockersModule } from '@app/blockers';
import { ConfigModule } from '@app/config';
import { CoreModule } from '@app/core';
import { DatabaseModule } from '@app/database';
import { SeedModule } from '@app/database/seeds/seed.module';
import { NeedsModule } from '@app/needs';
import { ProvidersModule } from '@app/providers';
import { CliActors } from './actors';
import { RegistryExporter } from './exporter';
import { RegistryImporter } from './importer';

/**
 * The domain libraries without GraphQL or HTTP, for the operator commands. Demo data is loaded only by
 * `knooppunt seed`, never as a side effect of another command.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ DEMO_DATA: 'false' }),
    CoreModule,
    DatabaseModule,
    AuditModule,
    AuthModule,
    ProvidersModule,
    NeedsModule,
    BlockersModule,
    AnalyticsModule,
    SeedModule,
  ],
  providers: [CliActors, RegistryImporter, RegistryExporter],
})
export class CliModule {}
