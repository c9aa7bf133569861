import { Module } from '@nestjs/common';
import { ProvidersApiModule } from '@app/providers/api';
import { NeedsModule } from '../needs.module';
import { NeedLoaders, NeedsResolver, ProviderNeedsResolver } from './needs.resolver';

@Module({
  imports: [NeedsModule, ProvidersApiModule],
  providers: [NeedLoaders, NeedsResolver, ProviderNeedsResolver],
  exports: [NeedLoaders],
})
export class NeedsApiModule {}
