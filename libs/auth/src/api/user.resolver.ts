import { Injectable } from '@nestjs/common';
import { Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor } from '@app/core';
import { byKeys, CurrentActor, GqlContext, LoaderRegistry, NoArgs } from '@app/core/graphql';
import { ProviderLoaders, ProviderNode } from '@app/providers/api';
import { UsersService } from '../users.service';
import { UserNode } from './user.types';

@Injectable()
export class UserLoaders {
  constructor(private readonly users: UsersService) {}

  user(loaders: LoaderRegistry): DataLoader<string, UserNode | null> {
    return loaders.get('user', async (ids: readonly string[]) =>
      byKeys(ids, (await this.users.byIds(ids)).map(UserNode.from), (u) => u.localId),
    );
  }
}

@Resolver(() => UserNode)
export class UserResolver {
  constructor(private readonly providers: ProviderLoaders) {}

  @Query(() => UserNode, { description: 'The authenticated user.' })
  viewer(@CurrentActor() actor: Actor): UserNode {
    return UserNode.from({ id: actor.userId, ...actor });
  }

  @ResolveField(() => ProviderNode, {
    nullable: true,
    description: 'The provider a STEWARD acts for; null for other roles.',
  })
  async provider(user: UserNode, _args: NoArgs, { loaders }: GqlContext) {
    return user.providerId ? this.providers.provider(loaders).load(user.providerId) : null;
  }
}
