import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { LoaderRegistry, Loaders } from '@app/core/graphql';
import { AuditEventNode } from './audit.types';

@Resolver(() => AuditEventNode)
export class AuditEventResolver {
  constructor(private readonly users: UserLoaders) {}

  @ResolveField(() => UserNode, { nullable: true })
  async actor(@Parent() event: AuditEventNode, @Loaders() loaders: LoaderRegistry) {
    return event.actorId ? this.users.user(loaders).load(event.actorId) : null;
  }
}
