import { Injectable } from '@nestjs/common';
import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor, fromGlobalId, toPage } from '@app/core';
import { byKeys, CurrentActor, GqlContext, LoaderRegistry, NoArgs, toConnection } from '@app/core/graphql';
import { DatasetNode, ProviderLoaders, ProviderNode } from '@app/providers/api';
import { DataNeedState } from '../entities/data-need.entity';
import { NeedsService } from '../needs.service';
import {
  DataNeedConnection,
  DataNeedFilter,
  DataNeedNode,
  DeclareDataNeedInput,
  UpdateDataNeedInput,
} from './need.types';

@Injectable()
export class NeedLoaders {
  constructor(private readonly needs: NeedsService) {}

  need(loaders: LoaderRegistry): DataLoader<string, DataNeedNode | null> {
    return loaders.get('need', async (ids: readonly string[]) =>
      byKeys(ids, (await this.needs.byIds(ids)).map(DataNeedNode.from), (n) => n.localId),
    );
  }
}

const optional = (id: string | null | undefined, type: string, field: string): string | null =>
  id ? fromGlobalId(id, type, field) : null;

@Resolver(() => DataNeedNode)
export class NeedsResolver {
  constructor(
    private readonly needService: NeedsService,
    private readonly providers: ProviderLoaders,
  ) {}

  @Query(() => DataNeedConnection)
  async dataNeeds(
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => DataNeedFilter, nullable: true }) filter?: DataNeedFilter,
  ) {
    const page = await this.needService.list(
      { first, after },
      {
        requesterId: optional(filter?.requesterId, 'Provider', 'filter.requesterId'),
        supplierId: optional(filter?.supplierId, 'Provider', 'filter.supplierId'),
        datasetId: optional(filter?.datasetId, 'Dataset', 'filter.datasetId'),
        state: filter?.state,
      },
    );
    return toConnection(toPage(page, DataNeedNode.from));
  }

  @Mutation(() => DataNeedNode)
  async declareDataNeed(@CurrentActor() actor: Actor, @Args('input') input: DeclareDataNeedInput) {
    const saved = await this.needService.declare(actor, {
      ...input,
      requesterId: optional(input.requesterId, 'Provider', 'input.requesterId'),
      supplierId: fromGlobalId(input.supplierId, 'Provider', 'input.supplierId'),
      datasetId: optional(input.datasetId, 'Dataset', 'input.datasetId'),
    });
    return DataNeedNode.from(saved);
  }

  @Mutation(() => DataNeedNode)
  async updateDataNeed(@CurrentActor() actor: Actor, @Args('input') input: UpdateDataNeedInput) {
    const saved = await this.needService.update(actor, fromGlobalId(input.id, 'DataNeed', 'input.id'), {
      dataElements: input.dataElements ?? undefined,
      purpose: input.purpose ?? undefined,
      service: input.service,
      legalBasis: input.legalBasis,
      annualCases: input.annualCases,
      state: input.state ?? undefined,
    });
    return DataNeedNode.from(saved);
  }

  @ResolveField(() => ProviderNode)
  requester(need: DataNeedNode, _args: NoArgs, { loaders }: GqlContext) {
    return loaders.value(this.providers.provider(loaders), need.requesterId);
  }

  @ResolveField(() => ProviderNode)
  supplier(need: DataNeedNode, _args: NoArgs, { loaders }: GqlContext) {
    return loaders.value(this.providers.provider(loaders), need.supplierId);
  }

  @ResolveField(() => DatasetNode, { nullable: true })
  async dataset(need: DataNeedNode, _args: NoArgs, { loaders }: GqlContext) {
    return need.datasetId ? this.providers.dataset(loaders).load(need.datasetId) : null;
  }
}

/** A provider's needs as requester and as supplier. */
@Resolver(() => ProviderNode)
export class ProviderNeedsResolver {
  constructor(private readonly needService: NeedsService) {}

  @ResolveField(() => DataNeedConnection, { description: 'Data needs where this provider is the requester.' })
  async needs(
    @Parent() provider: ProviderNode,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('state', { type: () => [DataNeedState], nullable: true }) state: DataNeedState[] | null,
  ) {
    const page = await this.needService.list({ first, after }, { requesterId: provider.localId, state });
    return toConnection(toPage(page, DataNeedNode.from));
  }

  @ResolveField(() => DataNeedConnection, { description: 'Data needs where this provider is the supplier.' })
  async supplies(
    @Parent() provider: ProviderNode,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('state', { type: () => [DataNeedState], nullable: true }) state: DataNeedState[] | null,
  ) {
    const page = await this.needService.list({ first, after }, { supplierId: provider.localId, state });
    return toConnection(toPage(page, DataNeedNode.from));
  }
}
