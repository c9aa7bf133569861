import { Module } from '@nestjs/common';
import { AuthApiModule } from '@app/auth/api';
import { AuditApiModule } from '@app/audit/api';
import { NeedsApiModule } from '@app/needs/api';
import { ProvidersApiModule } from '@app/providers/api';
import { BlockersModule } from '../blockers.module';
import {
  CommentResolver,
  EndorsementResolver,
  NeedBlockersResolver,
  ProviderBlockersResolver,
} from './blocker-extensions.resolver';
import { BlockerEventsResolver } from './blocker-events.resolver';
import { BlockerLoaders } from './blocker.loaders';
import { BlockersResolver } from './blockers.resolver';

@Module({
  imports: [BlockersModule, ProvidersApiModule, NeedsApiModule, AuthApiModule, AuditApiModule],
  providers: [
    BlockerLoaders,
    BlockersResolver,
    NeedBlockersResolver,
    ProviderBlockersResolver,
    CommentResolver,
    EndorsementResolver,
    BlockerEventsResolver,
  ],
  exports: [BlockerLoaders, BlockersModule],
})
export class BlockersApiModule {}
