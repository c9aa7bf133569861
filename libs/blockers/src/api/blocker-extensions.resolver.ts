import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { Actor } from '@app/core';
import { CurrentActor, GqlContext, LoaderRegistry, Loaders, NoArgs } from '@app/core/graphql';
import { DataNeedNode } from '@app/needs/api';
import { ProviderLoaders, ProviderNode } from '@app/providers/api';
import { BlockerReadsService } from '../blocker-reads.service';
import { BlockerLoaders } from './blocker.loaders';
import { BlockerNode, CommentNode, EndorsementNode } from './blocker.types';

/** Fields that other libraries' types gain from blockers. */
@Resolver(() => DataNeedNode)
export class NeedBlockersResolver {
  constructor(
    private readonly loaders: BlockerLoaders,
    private readonly reads: BlockerReadsService,
  ) {}

  @ResolveField(() => [BlockerNode], {
    description: 'Blockers that affect this need; open: true gives only open ones.',
  })
  async blockers(
    @Parent() need: DataNeedNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
    @Args('open', { type: () => Boolean, nullable: true }) open: boolean | null,
  ) {
    const openOnly = open === true;
    return this.loaders
      .related(loaders, actor, `needBlockers:${openOnly}`, (ids) =>
        this.reads.blockersOfNeeds(actor, ids, openOnly),
      )
      .load(need.localId)
      .then((list) => (open === false ? list.filter((b) => !b.open) : list));
  }
}

@Resolver(() => ProviderNode)
export class ProviderBlockersResolver {
  constructor(private readonly loaders: BlockerLoaders) {}

  @ResolveField(() => Int, {
    description:
      'Open blockers that affect a need of this provider, as requester or supplier, or that it owns.',
  })
  async openBlockerCount(provider: ProviderNode, _args: NoArgs, { loaders }: GqlContext) {
    return this.loaders.openBlockerCount(loaders).load(provider.localId);
  }
}

@Resolver(() => CommentNode)
export class CommentResolver {
  constructor(private readonly users: UserLoaders) {}

  @ResolveField(() => UserNode)
  async author(comment: CommentNode, _args: NoArgs, { loaders }: GqlContext) {
    return this.users.user(loaders).load(comment.authorId);
  }
}

@Resolver(() => EndorsementNode)
export class EndorsementResolver {
  constructor(
    private readonly providers: ProviderLoaders,
    private readonly users: UserLoaders,
  ) {}

  @ResolveField(() => ProviderNode, { description: 'A provider that says this blocker affects it too.' })
  async provider(e: EndorsementNode, _args: NoArgs, { loaders }: GqlContext) {
    return this.providers.provider(loaders).load(e.providerId);
  }

  @ResolveField(() => UserNode, { nullable: true })
  async user(e: EndorsementNode, _args: NoArgs, { loaders }: GqlContext) {
    return e.userId ? this.users.user(loaders).load(e.userId) : null;
  }
}
