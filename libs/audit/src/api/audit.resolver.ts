import { ResolveField, Resolver } from '@nestjs/graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { GqlContext, NoArgs } from '@app/core/graphql';
import { AuditEventNode } from './audit.types';

@Resolver(() => AuditEventNode)
export class AuditEventResolver {
  constructor(private readonly users: UserLoaders) {}

  @ResolveField(() => UserNode, { nullable: true })
  async actor(event: AuditEventNode, _args: NoArgs, { loaders }: GqlContext) {
    return event.actorId ? this.users.user(loaders).load(event.actorId) : null;
  }
}
