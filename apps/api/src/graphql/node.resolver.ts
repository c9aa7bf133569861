import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { AuditService } from '@app/audit';
import { AuditEventNode } from '@app/audit/api';
import { UserLoaders } from '@app/auth/api';
import { BlockersService } from '@app/blockers';
import { BlockerLoaders, CommentNode } from '@app/blockers/api';
import { Actor, parseGlobalId } from '@app/core';
import { CurrentActor, LoaderRegistry, Loaders, NodeInterface } from '@app/core/graphql';
import { NeedLoaders } from '@app/needs/api';
import { ProviderLoaders } from '@app/providers/api';

/** node(id): any entity by its global ID, under the same visibility rules as every other path. */
@Resolver()
export class NodeResolver {
  constructor(
    private readonly providers: ProviderLoaders,
    private readonly needs: NeedLoaders,
    private readonly blockerLoaders: BlockerLoaders,
    private readonly blockers: BlockersService,
    private readonly users: UserLoaders,
    private readonly audit: AuditService,
  ) {}

  @Query(() => NodeInterface, { nullable: true })
  async node(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ): Promise<unknown> {
    const decoded = parseGlobalId(id);
    if (!decoded) return null;
    switch (decoded.type) {
      case 'Provider':
        return this.providers.provider(loaders).load(decoded.id);
      case 'Dataset':
        return this.providers.dataset(loaders).load(decoded.id);
      case 'DataNeed':
        return this.needs.need(loaders).load(decoded.id);
      case 'User':
        return this.users.user(loaders).load(decoded.id);
      case 'Blocker':
        return this.blockerLoaders.blocker(loaders, actor).load(decoded.id);
      case 'Comment': {
        const comment = await this.blockers.findVisibleComment(actor, decoded.id);
        return comment ? CommentNode.from(comment) : null;
      }
      case 'AuditEvent': {
        const event = await this.audit.byId(decoded.id);
        if (!event) return null;
        // An event about a blocker is visible exactly when the blocker is.
        if (event.blockerId && !(await this.blockerLoaders.blocker(loaders, actor).load(event.blockerId)))
          return null;
        return AuditEventNode.from(event);
      }
      default:
        return null;
    }
  }
}
