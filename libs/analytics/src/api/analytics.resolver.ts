import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { NotImplementedError } from '@app/core';
import {
  BlockerGraph,
  BlockerGraphInput,
  BlockerImpact,
  BlockerScore,
  ExchangeCell,
  ImpactMeasure,
  ProgressReport,
  RegistryStats,
  WhatIfResult,
} from './analytics.types';

/**
 * The analytics queries of the contract. They answer NOT_IMPLEMENTED until the graph index lands;
 * they never answer with invented data.
 */
@Resolver()
export class AnalyticsResolver {
  @Query(() => BlockerGraph)
  blockerGraph(
    @Args('input', { type: () => BlockerGraphInput, nullable: true }) _input: BlockerGraphInput | null,
  ): never {
    throw new NotImplementedError('blockerGraph');
  }

  @Query(() => BlockerImpact)
  blockerImpact(@Args('id', { type: () => ID }) _id: string): never {
    throw new NotImplementedError('blockerImpact');
  }

  @Query(() => [BlockerScore], {
    description: 'Open blockers ranked by what resolving each (with its open prerequisites) would unblock.',
  })
  criticalBlockers(
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) _first: number,
    @Args('by', { type: () => ImpactMeasure, nullable: true, defaultValue: ImpactMeasure.NEEDS_UNBLOCKED })
    _by: ImpactMeasure,
  ): never {
    throw new NotImplementedError('criticalBlockers');
  }

  @Query(() => WhatIfResult)
  whatIf(@Args('resolve', { type: () => [ID] }) _resolve: string[]): never {
    throw new NotImplementedError('whatIf');
  }

  @Query(() => [ExchangeCell])
  exchangeMatrix(
    @Args('openOnly', { type: () => Boolean, nullable: true, defaultValue: true }) _openOnly: boolean,
  ): never {
    throw new NotImplementedError('exchangeMatrix');
  }

  @Query(() => RegistryStats)
  stats(): never {
    throw new NotImplementedError('stats');
  }

  @Query(() => ProgressReport)
  progressReport(@Args('from') _from: Date, @Args('to') _to: Date): never {
    throw new NotImplementedError('progressReport');
  }
}
