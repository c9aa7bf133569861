import { Args, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { getArgumentValues, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { UserLoaders, UserNode } from '@app/auth/api';
import { AuditService } from '@app/audit';
import { AuditEventConnection, AuditEventNode } from '@app/audit/api';
import {
  Actor,
  BadUserInputError,
  fromGlobalId,
  Page,
  pageSize,
  parseGlobalId,
  toGlobalId,
  toPage,
} from '@app/core';
import {
  asksOnly,
  ConnectionArgs,
  CurrentActor,
  FieldArgs,
  fieldsAsked,
  GqlContext,
  LoaderRegistry,
  Loaders,
  noNul,
  NoArgs,
  selectedFields,
  toConnection,
} from '@app/core/graphql';
import { DataNeedEntity } from '@app/needs';
import { DataNeedConnection, DataNeedNode } from '@app/needs/api';
import { ProviderLoaders, ProviderNode } from '@app/providers/api';
import { BlockerReadsService } from '../blocker-reads.service';
import { BlockersService } from '../blockers.service';
import { availableTransitions, BlockerStatus } from '../domain/workflow';
import { RelationsService } from '../relations.service';
import { WorkflowService } from '../workflow.service';
import { BlockerLoaders } from './blocker.loaders';
import {
  AddCommentInput,
  BlockerDependencyInput,
  BlockerFilter,
  BlockerNeedInput,
  BlockerOrder,
  EndorseBlockerInput,
  ReportBlockerInput,
  SteeringDecisionInput,
  TransitionBlockerInput,
  UpdateBlockerInput,
} from './blocker.inputs';
import {
  BlockerConnection,
  BlockerNode,
  CommentConnection,
  CommentNode,
  DUPLICATE_NAMES,
  EndorsementNode,
  ReportBlockerPayload,
} from './blocker.types';

const blockerId = (id: string, field: string): string => fromGlobalId(id, 'Blocker', field);
const optionalId = (id: string | null | undefined, type: string, field: string): string | null | undefined =>
  id === undefined || id === null ? id : fromGlobalId(id, type, field);

@Resolver(() => BlockerNode)
export class BlockersResolver {
  constructor(
    private readonly blockers: BlockersService,
    private readonly workflow: WorkflowService,
    private readonly relations: RelationsService,
    private readonly reads: BlockerReadsService,
    private readonly audit: AuditService,
    private readonly loaders: BlockerLoaders,
    private readonly providers: ProviderLoaders,
    private readonly users: UserLoaders,
  ) {}

  // ---------------------------------------------------------------- queries

  @Query(() => BlockerConnection, { name: 'blockers' })
  async listBlockers(
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
    @Info() info: GraphQLResolveInfo,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => BlockerFilter, nullable: true }) filter?: BlockerFilter,
    @Args('orderBy', { type: () => BlockerOrder, nullable: true }) orderBy?: BlockerOrder,
  ) {
    const now = Date.now();
    const page = await this.blockers.list(
      actor,
      { first, after },
      {
        ...filter,
        providerId: optionalId(filter?.providerId, 'Provider', 'filter.providerId'),
        ownerId: optionalId(filter?.ownerId, 'Provider', 'filter.ownerId'),
        datasetId: optionalId(filter?.datasetId, 'Dataset', 'filter.datasetId'),
      },
      orderBy ?? null,
    );
    const connection = toConnection(toPage(page, (b) => BlockerNode.from(b, now)));
    await this.preload(connection.nodes, info, loaders);
    return connection;
  }

  @Query(() => BlockerNode, {
    nullable: true,
    description: 'By id or by key (KNP-12); exactly one of the two.',
  })
  async blocker(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, nullable: true }) id: string | null,
    @Args('key', { type: () => String, nullable: true }) key: string | null,
  ) {
    if ((id === null || id === undefined) === (key === null || key === undefined)) {
      throw new BadUserInputError([
        { field: 'id', message: 'give exactly one of id and key' },
        { field: 'key', message: 'give exactly one of id and key' },
      ]);
    }
    const entity = id
      ? await this.blockers.findVisible(actor, blockerId(id, 'id'))
      : await this.blockers.findVisibleByKey(actor, key!);
    return entity ? BlockerNode.from(entity) : null;
  }

  // ---------------------------------------------------------------- mutations

  @Mutation(() => ReportBlockerPayload)
  async reportBlocker(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReportBlockerInput,
    @Info() info: GraphQLResolveInfo,
  ) {
    const result = await this.blockers.report(actor, {
      ...input,
      affectedNeedIds: input.affectedNeedIds.map((id, i) =>
        fromGlobalId(id, 'DataNeed', `input.affectedNeedIds.${i}`),
      ),
      ownerId: optionalId(input.ownerId, 'Provider', 'input.ownerId'),
      reportingProviderId: optionalId(input.reportingProviderId, 'Provider', 'input.reportingProviderId'),
    });
    // Named from the search's own rows when that is all the query asks of them; else loaded again,
    // with what the actor may see now.
    const candidates = result.possibleDuplicates;
    const possibleDuplicates = asksOnly(fieldsAsked(info), 'possibleDuplicates', DUPLICATE_NAMES)
      ? candidates.map((c) => BlockerNode.reference(c))
      : (
          await this.blockers.visibleInOrder(
            actor,
            candidates.map((c) => c.id),
          )
        ).map((b) => BlockerNode.from(b));
    return { blocker: BlockerNode.from(result.blocker), possibleDuplicates };
  }

  @Mutation(() => BlockerNode)
  async updateBlocker(@CurrentActor() actor: Actor, @Args('input') input: UpdateBlockerInput) {
    const { id, expectedVersion, ...rest } = input;
    const fields = Object.fromEntries(
      Object.entries(rest).filter(
        ([key, value]) => value !== undefined && (value !== null || NULLABLE_UPDATES.has(key)),
      ),
    );
    if ('ownerId' in fields) fields.ownerId = optionalId(input.ownerId, 'Provider', 'input.ownerId') ?? null;
    const saved = await this.blockers.update(actor, blockerId(id, 'input.id'), expectedVersion, fields);
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode)
  async transitionBlocker(@CurrentActor() actor: Actor, @Args('input') input: TransitionBlockerInput) {
    const saved = await this.workflow.transition(actor, {
      ...input,
      id: blockerId(input.id, 'input.id'),
      duplicateOfId: optionalId(input.duplicateOfId, 'Blocker', 'input.duplicateOfId'),
    });
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode)
  async linkAffectedNeed(@CurrentActor() actor: Actor, @Args('input') input: BlockerNeedInput) {
    const saved = await this.blockers.linkNeed(
      actor,
      blockerId(input.blockerId, 'input.blockerId'),
      fromGlobalId(input.needId, 'DataNeed', 'input.needId'),
      input.expectedVersion,
    );
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode)
  async unlinkAffectedNeed(@CurrentActor() actor: Actor, @Args('input') input: BlockerNeedInput) {
    const saved = await this.blockers.unlinkNeed(
      actor,
      blockerId(input.blockerId, 'input.blockerId'),
      fromGlobalId(input.needId, 'DataNeed', 'input.needId'),
      input.expectedVersion,
    );
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode, { description: 'Refused with DEPENDENCY_CYCLE where it would close a cycle.' })
  async addBlockerDependency(@CurrentActor() actor: Actor, @Args('input') input: BlockerDependencyInput) {
    const saved = await this.relations.addDependency(
      actor,
      blockerId(input.blockerId, 'input.blockerId'),
      blockerId(input.dependsOnId, 'input.dependsOnId'),
    );
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode)
  async removeBlockerDependency(@CurrentActor() actor: Actor, @Args('input') input: BlockerDependencyInput) {
    const saved = await this.relations.removeDependency(
      actor,
      blockerId(input.blockerId, 'input.blockerId'),
      blockerId(input.dependsOnId, 'input.dependsOnId'),
    );
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode, {
    description: 'One endorsement per provider; not by the reporting provider.',
  })
  async endorseBlocker(@CurrentActor() actor: Actor, @Args('input') input: EndorseBlockerInput) {
    const saved = await this.relations.endorse(
      actor,
      blockerId(input.blockerId, 'input.blockerId'),
      input.note ?? null,
    );
    return BlockerNode.from(saved);
  }

  @Mutation(() => BlockerNode)
  async withdrawEndorsement(@CurrentActor() actor: Actor, @Args('blockerId', { type: () => ID }) id: string) {
    return BlockerNode.from(await this.relations.withdrawEndorsement(actor, blockerId(id, 'blockerId')));
  }

  @Mutation(() => CommentNode)
  async addComment(@CurrentActor() actor: Actor, @Args('input') input: AddCommentInput) {
    return CommentNode.from(
      await this.blockers.addComment(actor, blockerId(input.blockerId, 'input.blockerId'), input.body),
    );
  }

  @Mutation(() => BlockerNode)
  async recordSteeringDecision(@CurrentActor() actor: Actor, @Args('input') input: SteeringDecisionInput) {
    const saved = await this.workflow.decide(actor, {
      ...input,
      blockerId: blockerId(input.blockerId, 'input.blockerId'),
    });
    return BlockerNode.from(saved);
  }

  // ---------------------------------------------------------------- fields

  @ResolveField(() => [BlockerStatus], { description: 'Statuses the viewer may move it to now.' })
  async availableTransitions(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ) {
    const blocked = await this.loaders.hasOpenPrerequisite(loaders).load(b.localId);
    return availableTransitions(actor, b.entity, blocked);
  }

  @ResolveField(() => UserNode, { nullable: true })
  async reportedBy(b: BlockerNode, _args: NoArgs, { loaders }: GqlContext) {
    return b.entity.reportedById ? this.users.user(loaders).load(b.entity.reportedById) : null;
  }

  @ResolveField(() => ProviderNode)
  reportingProvider(b: BlockerNode, _args: NoArgs, { loaders }: GqlContext) {
    return loaders.value(this.providers.provider(loaders), b.entity.reportingProviderId);
  }

  @ResolveField(() => ProviderNode, { nullable: true, description: 'The provider that must act.' })
  owner(b: BlockerNode, _args: NoArgs, { loaders }: GqlContext) {
    return b.entity.ownerId ? loaders.value(this.providers.provider(loaders), b.entity.ownerId) : null;
  }

  @ResolveField(() => DataNeedConnection)
  affectedNeeds(b: BlockerNode, @FieldArgs() args: ConnectionArgs, { loaders }: GqlContext) {
    const loader = this.loaders.affectedNeeds(
      loaders,
      pageSize(args.first),
      noNul(args.after, 'after') ?? null,
    );
    const page = loaders.value(loader, b.localId);
    return page instanceof Promise ? page.then(needConnection) : needConnection(page);
  }

  @ResolveField(() => [ProviderNode], {
    description: 'Requesters and suppliers of the affected needs, and endorsing providers, without repeats.',
  })
  async affectedProviders(b: BlockerNode, _args: NoArgs, { loaders }: GqlContext) {
    const ids = await this.loaders.affectedProviderIds(loaders).load(b.localId);
    const providers = await this.providers.provider(loaders).loadMany(ids);
    return providers
      .filter((p): p is ProviderNode => p instanceof ProviderNode)
      .sort((x, y) => x.name.localeCompare(y.name));
  }

  @ResolveField(() => [EndorsementNode])
  async endorsements(b: BlockerNode, _args: NoArgs, { loaders }: GqlContext) {
    return (await this.loaders.endorsements(loaders).load(b.localId)).map(EndorsementNode.from);
  }

  @ResolveField(() => [BlockerNode], { description: 'Blockers that must be resolved before this one.' })
  async dependsOn(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ) {
    return this.loaders
      .related(loaders, actor, 'dependsOn', (ids) => this.reads.prerequisites(ids))
      .load(b.localId);
  }

  @ResolveField(() => [BlockerNode], { description: 'Blockers that wait for this one.' })
  async dependents(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ) {
    return this.loaders
      .related(loaders, actor, 'dependents', (ids) => this.reads.dependents(ids))
      .load(b.localId);
  }

  @ResolveField(() => BlockerNode, { nullable: true })
  async duplicateOf(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ) {
    return b.entity.duplicateOfId ? this.loaders.blocker(loaders, actor).load(b.entity.duplicateOfId) : null;
  }

  @ResolveField(() => [BlockerNode])
  async duplicates(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
  ) {
    return this.loaders
      .related(loaders, actor, 'duplicates', (ids) => this.reads.duplicates(ids))
      .load(b.localId);
  }

  @ResolveField(() => CommentConnection)
  async comments(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    return toConnection(
      toPage(await this.blockers.comments(actor, b.localId, { first, after }), CommentNode.from),
    );
  }

  @ResolveField(() => AuditEventConnection)
  async history(
    @Parent() b: BlockerNode,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: LoaderRegistry,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    const page = toPage(await this.audit.historyOf(b.localId, { first, after }), AuditEventNode.from);
    // Events may name other blockers (dependencies, merges); one the viewer may not see stays unnamed.
    const named = page.nodes.flatMap((event) => event.changes.flatMap((c) => blockerIdsIn(c.from, c.to)));
    const localIds = [...new Set(named)].map((id) => parseGlobalId(id)!.id);
    const visible = await this.loaders.blocker(loaders, actor).loadMany(localIds);
    const hidden = new Set(
      localIds.filter((_, i) => !(visible[i] instanceof BlockerNode)).map((id) => toGlobalId('Blocker', id)),
    );
    if (hidden.size > 0) {
      const mask = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(mask)
          : typeof value === 'string' && hidden.has(value)
            ? null
            : value;
      for (const event of page.nodes) {
        event.changes = event.changes.map((c) => ({ ...c, from: mask(c.from), to: mask(c.to) }));
      }
    }
    return toConnection(page);
  }

  // ---------------------------------------------------------------- look-ahead

  /**
   * Loads, with a page of blockers, what the fields below it will ask for: the affected needs of
   * every blocker (per `affectedNeeds` selection and its arguments), then the providers of the
   * blockers and of those needs, in one statement. The field resolvers then find their values in hand
   * (`LoaderRegistry.value`) and the page is answered without a promise per field, in three statements
   * (page, needs, providers) instead of four. Only what the query selects is loaded; anything that
   * fails here is left to the field's own resolver, which reports it as before.
   */
  private async preload(
    nodes: BlockerNode[],
    info: GraphQLResolveInfo,
    loaders: LoaderRegistry,
  ): Promise<void> {
    if (nodes.length === 0) return;
    const at = (path: string[], from = info.fieldNodes) => [
      ...selectedFields(info, ['nodes', ...path], from),
      ...selectedFields(info, ['edges', 'node', ...path], from),
    ];
    const providerIds = new Set<string>();
    if (at(['reportingProvider']).length > 0) {
      for (const b of nodes) providerIds.add(b.entity.reportingProviderId);
    }
    if (at(['owner']).length > 0) {
      for (const b of nodes) if (b.entity.ownerId) providerIds.add(b.entity.ownerId);
    }
    const needFields = at(['affectedNeeds']);
    if (needFields.length > 0) {
      const blockerType = info.schema.getType('Blocker') as GraphQLObjectType;
      const definition = blockerType.getFields().affectedNeeds;
      const ids = nodes.map((b) => b.localId);
      await Promise.all(
        needFields.map(async (field) => {
          let first: number;
          let after: string | null;
          try {
            const args = getArgumentValues(definition, field, info.variableValues) as ConnectionArgs;
            first = pageSize(args.first);
            after = noNul(args.after, 'after') ?? null;
          } catch {
            return; // the field reports it
          }
          const pages = await this.loaders.affectedNeeds(loaders, first, after).loadMany(ids);
          const inNodes = (name: string) =>
            selectedFields(info, ['nodes', name], [field]).length +
              selectedFields(info, ['edges', 'node', name], [field]).length >
            0;
          const requester = inNodes('requester');
          const supplier = inNodes('supplier');
          if (!requester && !supplier) return;
          for (const page of pages) {
            if (page instanceof Error) continue;
            for (const need of page.nodes) {
              if (requester) providerIds.add(need.requesterId);
              if (supplier) providerIds.add(need.supplierId);
            }
          }
        }),
      );
    }
    if (providerIds.size > 0) await this.providers.provider(loaders).loadMany([...providerIds]);
  }
}

function needConnection(page: Page<DataNeedEntity>) {
  return toConnection(toPage(page, DataNeedNode.from));
}

/** Global IDs of blockers named in an audit change's values. */
function blockerIdsIn(...values: unknown[]): string[] {
  return values.flatMap((value) =>
    Array.isArray(value)
      ? blockerIdsIn(...(value as unknown[]))
      : typeof value === 'string' && parseGlobalId(value)?.type === 'Blocker'
        ? [value]
        : [],
  );
}

/** Fields a client may clear by sending null; null elsewhere means "leave as is". */
const NULLABLE_UPDATES = new Set(['legalReference', 'ownerId', 'effort', 'targetDate']);
