import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { Actor, Page } from '@app/core';
import { byKeys, groupByKeys, LoaderRegistry } from '@app/core/graphql';
import { DataNeedEntity } from '@app/needs';
import { BlockerReadsService, Pair } from '../blocker-reads.service';
import { BlockersService } from '../blockers.service';
import { EndorsementEntity } from '../entities/links.entity';
import { BlockerNode } from './blocker.types';

type PairSource = (ids: readonly string[]) => Promise<Pair[]>;

/** Per-request, per-actor loaders for everything around blockers. */
@Injectable()
export class BlockerLoaders {
  constructor(
    private readonly blockers: BlockersService,
    private readonly reads: BlockerReadsService,
  ) {}

  /** Blockers the actor may see; an invisible or unknown id loads as null. */
  blocker(loaders: LoaderRegistry, actor: Actor): DataLoader<string, BlockerNode | null> {
    return loaders.get('blocker', async (ids: readonly string[]) => {
      const now = Date.now();
      const rows = await this.blockers.visibleByIds(actor, ids);
      return byKeys(
        ids,
        rows.map((b) => BlockerNode.from(b, now)),
        (b) => b.localId,
      );
    });
  }

  /** Related blockers (dependsOn, dependents, duplicates, a need's blockers), invisible ones left out. */
  related(
    loaders: LoaderRegistry,
    actor: Actor,
    name: string,
    source: PairSource,
  ): DataLoader<string, BlockerNode[]> {
    return loaders.get(`related:${name}`, async (ids: readonly string[]) => {
      const pairs = await source(ids);
      const targets = await this.blocker(loaders, actor).loadMany(pairs.map((p) => p.to));
      const visible = pairs
        .map((p, i) => ({ from: p.from, node: targets[i] }))
        .filter((x): x is { from: string; node: BlockerNode } => x.node instanceof BlockerNode);
      return groupByKeys(ids, visible, (x) => x.from).map((list) => list.map((x) => x.node));
    });
  }

  affectedNeeds(
    loaders: LoaderRegistry,
    first: number,
    after: string | null,
  ): DataLoader<string, Page<DataNeedEntity>> {
    return loaders.get(`affectedNeeds:${first}:${after ?? ''}`, async (ids: readonly string[]) => {
      const pages = await this.reads.affectedNeedPages(ids, first, after);
      return ids.map((id) => pages.get(id)!);
    });
  }

  affectedProviderIds(loaders: LoaderRegistry): DataLoader<string, string[]> {
    return loaders.get('affectedProviders', async (ids: readonly string[]) =>
      groupByKeys(ids, await this.reads.affectedProviders(ids), (p) => p.from).map((list) =>
        list.map((p) => p.to),
      ),
    );
  }

  endorsements(loaders: LoaderRegistry): DataLoader<string, EndorsementEntity[]> {
    return loaders.get('endorsements', async (ids: readonly string[]) =>
      groupByKeys(ids, await this.reads.endorsements(ids), (e) => e.blockerId),
    );
  }

  hasOpenPrerequisite(loaders: LoaderRegistry): DataLoader<string, boolean> {
    return loaders.get('hasOpenPrerequisite', async (ids: readonly string[]) => {
      const set = await this.reads.withOpenPrerequisite(ids);
      return ids.map((id) => set.has(id));
    });
  }

  openBlockerCount(loaders: LoaderRegistry): DataLoader<string, number> {
    return loaders.get('openBlockerCount', async (ids: readonly string[]) => {
      const counts = await this.reads.openBlockerCounts(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    });
  }
}
