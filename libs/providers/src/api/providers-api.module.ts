import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers.module';
import { ProviderLoaders } from './provider.loaders';
import { DatasetsResolver, ProvidersResolver } from './providers.resolver';

@Module({
  imports: [ProvidersModule],
  providers: [ProviderLoaders, ProvidersResolver, DatasetsResolver],
  exports: [ProviderLoaders],
})
export class ProvidersApiModule {}
