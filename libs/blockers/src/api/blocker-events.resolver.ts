import { Args, Field, ID, ObjectType, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { Actor, fromGlobalId, TransactionService } from '@app/core';
import { CurrentActor, LoaderRegistry, Loaders } from '@app/core/graphql';
import { BlockerChange, BlockerEvents } from '../blocker-events';
import { blockerQuery } from '../blocker-query';
import { BlockerNode } from './blocker.types';

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

/** A queue that turns pushed values into an async iterator, bounded so a slow client cannot grow it forever. */
function channel<T>(
  subscribe: (push: (value: T) => void) => () => void,
  limit = 1000,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;
  const unsubscribe = subscribe((value) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
    } else if (queue.length < limit) queue.push(value);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    unsubscribe();
    waiting?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : done
          ? Promise.resolve({ value: undefined, done: true })
          : new Promise((resolve) => (waiting = resolve)),
    return: finish,
    throw: (error: unknown) =>
      finish().then(() => Promise.reject(error instanceof Error ? error : new Error(String(error)))),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

@Resolver(() => BlockerEventNode)
export class BlockerEventsResolver {
  constructor(
    private readonly events: BlockerEvents,
    private readonly tx: TransactionService,
    private readonly users: UserLoaders,
  ) {}

  @Subscription(() => BlockerEventNode, {
    description:
      'Changes to blockers the subscriber may see; providerId narrows to those touching that provider.',
    resolve: (payload: BlockerEventNode) => payload,
  })
  blockerEvents(
    @CurrentActor() actor: Actor,
    @Args('providerId', { type: () => ID, nullable: true }) providerId: string | null,
  ): AsyncIterableIterator<BlockerEventNode> {
    const provider = providerId ? fromGlobalId(providerId, 'Provider', 'providerId') : null;
    const changes = channel<BlockerChange>((push) => this.events.subscribe(push));
    const visibleEvents = async function* (this: BlockerEventsResolver) {
      for await (const change of changes) {
        const event = await this.forSubscriber(actor, change, provider);
        if (event) yield event;
      }
    }.call(this);
    return visibleEvents;
  }

  /** The event as this subscriber may see it, or null when the blocker is hidden from them or out of scope. */
  private async forSubscriber(
    actor: Actor,
    change: BlockerChange,
    providerId: string | null,
  ): Promise<BlockerEventNode | null> {
    const qb = blockerQuery(this.tx.manager, actor, providerId ? { providerId } : {}).andWhere('b.id = :id', {
      id: change.blockerId,
    });
    const blocker = await qb.getOne();
    if (!blocker) return null;
    return Object.assign(new BlockerEventNode(), {
      blocker: BlockerNode.from(blocker),
      action: change.action,
      at: change.at,
      actorId: change.actorId,
    });
  }

  @ResolveField(() => UserNode, { nullable: true })
  async actor(@Parent() event: BlockerEventNode, @Loaders() loaders: LoaderRegistry) {
    return event.actorId ? this.users.user(loaders).load(event.actorId) : null;
  }
}
