import { Args, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, fromGlobalId, toPage } from '@app/core';
import { CurrentActor, GqlContext, LoaderRegistry, Loaders, NoArgs, toConnection } from '@app/core/graphql';
import { DatasetsService } from '../datasets.service';
import { ProvidersService } from '../providers.service';
import { ProviderLoaders } from './provider.loaders';
import {
  CreateProviderInput,
  DatasetConnection,
  DatasetNode,
  ProviderConnection,
  ProviderFilter,
  ProviderNode,
  RegisterDatasetInput,
  UpdateProviderInput,
} from './provider.types';

const optionalId = (id: string | null | undefined, field: string): string | null | undefined =>
  id === undefined || id === null ? id : fromGlobalId(id, 'Provider', field);

@Resolver(() => ProviderNode)
export class ProvidersResolver {
  constructor(
    private readonly providerService: ProvidersService,
    private readonly loaders: ProviderLoaders,
  ) {}

  @Query(() => ProviderConnection)
  async providers(
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => ProviderFilter, nullable: true }) filter?: ProviderFilter,
  ) {
    return toConnection(
      toPage(await this.providerService.list({ first, after }, filter ?? {}), ProviderNode.from),
    );
  }

  @Query(() => ProviderNode, { nullable: true })
  async provider(@Args('id', { type: () => ID }) id: string, @Loaders() loaders: LoaderRegistry) {
    return this.loaders.provider(loaders).load(fromGlobalId(id, 'Provider', 'id'));
  }

  @Mutation(() => ProviderNode)
  async createProvider(@CurrentActor() actor: Actor, @Args('input') input: CreateProviderInput) {
    const saved = await this.providerService.create(actor, {
      ...input,
      parentId: optionalId(input.parentId, 'input.parentId'),
    });
    return ProviderNode.from(saved);
  }

  @Mutation(() => ProviderNode)
  async updateProvider(@CurrentActor() actor: Actor, @Args('input') input: UpdateProviderInput) {
    const saved = await this.providerService.update(actor, fromGlobalId(input.id, 'Provider', 'input.id'), {
      name: input.name ?? undefined,
      kind: input.kind ?? undefined,
      abbreviation: input.abbreviation,
      oin: input.oin,
      tooiUri: input.tooiUri,
      parentId: optionalId(input.parentId, 'input.parentId'),
    });
    return ProviderNode.from(saved);
  }

  @ResolveField(() => ProviderNode, { nullable: true })
  async parent(provider: ProviderNode, _args: NoArgs, { loaders }: GqlContext) {
    return provider.parentId ? this.loaders.provider(loaders).load(provider.parentId) : null;
  }

  @ResolveField(() => [DatasetNode])
  async datasets(provider: ProviderNode, _args: NoArgs, { loaders }: GqlContext) {
    return this.loaders.datasetsOfHolder(loaders).load(provider.localId);
  }
}

@Resolver(() => DatasetNode)
export class DatasetsResolver {
  constructor(
    private readonly datasetService: DatasetsService,
    private readonly loaders: ProviderLoaders,
  ) {}

  @Query(() => DatasetConnection)
  async datasets(
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('holderId', { type: () => ID, nullable: true }) holderId: string | null,
  ) {
    const holder = holderId ? fromGlobalId(holderId, 'Provider', 'holderId') : null;
    return toConnection(toPage(await this.datasetService.list({ first, after }, holder), DatasetNode.from));
  }

  @Mutation(() => DatasetNode)
  async registerDataset(@CurrentActor() actor: Actor, @Args('input') input: RegisterDatasetInput) {
    const saved = await this.datasetService.register(actor, {
      ...input,
      holderId: fromGlobalId(input.holderId, 'Provider', 'input.holderId'),
    });
    return DatasetNode.from(saved);
  }

  @ResolveField(() => ProviderNode)
  async holder(dataset: DatasetNode, _args: NoArgs, { loaders }: GqlContext) {
    return this.loaders.provider(loaders).load(dataset.holderId);
  }
}
