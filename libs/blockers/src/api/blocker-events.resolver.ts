import { Logger } from '@nestjs/common';
import { Args, Field, ID, ObjectType, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { Actor, fromGlobalId, TransactionService } from '@app/core';
import { CurrentActor, GqlContext, NoArgs } from '@app/core/graphql';
import { BlockerChange, BlockerEvents } from '../blocker-events';
import { blockerQuery } from '../blocker-query';
import { BlockerEntity } from '../entities/blocker.entity';
import { BlockerNode } from './blocker.types';
import { channel, filterMap } from './event-stream';

@ObjectType('BlockerEvent')
export class BlockerEventNode {
  @Field(() => BlockerNode)
  blocker: BlockerNode;
  @Field({ description: 'Same vocabulary as AuditEvent.action.' })
  action: string;
  @Field()
  at: Date;

  actorId: string | null;
}

@Resolver(() => BlockerEventNode)
export class BlockerEventsResolver {
  private readonly logger = new Logger(BlockerEventsResolver.name);

  constructor(
    private readonly events: BlockerEvents,
    private readonly tx: TransactionService,
    private readonly users: UserLoaders,
  ) {}

  @Subscription(() => BlockerEventNode, {
    description:
      'Changes to blockers the subscriber may see; providerId narrows to those touching that provider.',
    // Each event is a fresh look at the blocker: loaders must not answer from an earlier event.
    resolve: (payload: BlockerEventNode, _args: unknown, context: GqlContext) => {
      context.loaders.clearAll();
      return payload;
    },
  })
  blockerEvents(
    @CurrentActor() actor: Actor,
    @Args('providerId', { type: () => ID, nullable: true }) providerId: string | null,
  ): AsyncIterableIterator<BlockerEventNode> {
    const provider = providerId ? fromGlobalId(providerId, 'Provider', 'providerId') : null;
    const changes = channel<BlockerChange>((push) => this.events.subscribe(push));
    return filterMap(changes, (change) => this.forSubscriber(actor, change, provider));
  }

  /**
   * The event as this subscriber may see it, or null when the blocker is hidden from them, outside
   * `providerId`, or gone. Read after the commit, so it shows the blocker as it is now.
   */
  private async forSubscriber(
    actor: Actor,
    change: BlockerChange,
    providerId: string | null,
  ): Promise<BlockerEventNode | null> {
    let blocker: BlockerEntity | null;
    try {
      blocker = await blockerQuery(this.tx.manager, actor, providerId ? { providerId } : {})
        .andWhere('b.id = :id', { id: change.blockerId })
        .getOne();
    } catch (error) {
      // A database hiccup costs this subscriber one event, not the subscription.
      this.logger.error(
        `blocker event ${change.action} for ${change.blockerId}: ${(error as Error).message}`,
      );
      return null;
    }
    if (!blocker) return null;
    return Object.assign(new BlockerEventNode(), {
      blocker: BlockerNode.from(blocker),
      action: change.action,
      at: change.at,
      actorId: change.actorId,
    });
  }

  @ResolveField(() => UserNode, { nullable: true })
  async actor(event: BlockerEventNode, _args: NoArgs, { loaders }: GqlContext) {
    return event.actorId ? this.users.user(loaders).load(event.actorId) : null;
  }
}
