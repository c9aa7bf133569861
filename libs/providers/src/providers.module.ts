import { Module } from '@nestjs/common';
import { DatasetsService } from './datasets.service';
import { ProvidersService } from './providers.service';

/** Providers and datasets, without the GraphQL layer (for the CLI and other libs). */
@Module({ providers: [ProvidersService, DatasetsService], exports: [ProvidersService, DatasetsService] })
export class ProvidersModule {}
