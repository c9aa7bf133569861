import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { byKeys, groupByKeys, LoaderRegistry } from '@app/core/graphql';
import { DatasetsService } from '../datasets.service';
import { ProvidersService } from '../providers.service';
import { DatasetNode, ProviderNode } from './provider.types';

/** Batched look-ups of providers and datasets, one set per request. */
@Injectable()
export class ProviderLoaders {
  constructor(
    private readonly providers: ProvidersService,
    private readonly datasets: DatasetsService,
  ) {}

  provider(loaders: LoaderRegistry): DataLoader<string, ProviderNode | null> {
    return loaders.get('provider', async (ids: readonly string[]) =>
      byKeys(ids, (await this.providers.byIds(ids)).map(ProviderNode.from), (p) => p.localId),
    );
  }

  dataset(loaders: LoaderRegistry): DataLoader<string, DatasetNode | null> {
    return loaders.get('dataset', async (ids: readonly string[]) =>
      byKeys(ids, (await this.datasets.byIds(ids)).map(DatasetNode.from), (d) => d.localId),
    );
  }

  datasetsOfHolder(loaders: LoaderRegistry): DataLoader<string, DatasetNode[]> {
    return loaders.get('datasetsOfHolder', async (ids: readonly string[]) =>
      groupByKeys(ids, (await this.datasets.byHolders(ids)).map(DatasetNode.from), (d) => d.holderId),
    );
  }
}
