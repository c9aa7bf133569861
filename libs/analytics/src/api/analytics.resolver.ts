import { Args, ID, Info, Int, Query, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { BlockerEntity } from '@app/blockers';
import { BlockerNode } from '@app/blockers/api';
import { Actor, fromGlobalId, parseGlobalId } from '@app/core';
import { CurrentActor, fieldsAsked } from '@app/core/graphql';
import { DataNeedNode } from '@app/needs/api';
import { ProviderNode } from '@app/providers/api';
import { AnalyticsService, FocusType, notFound } from '../analytics.service';
import { BlockerRow, NeedRow } from '../domain/registry-index';
import { REPORT_LIST_DEFAULT, REPORT_LIST_MAX } from '../domain/report';
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
import { blockerNode, IndexedAnswer, needNode, providerNode } from './indexed-nodes';

const FOCUS_TYPES: readonly FocusType[] = ['Provider', 'Dataset', 'Blocker'];

function focusOf(focusId: string | null | undefined): { type: FocusType; id: string } | null {
  if (focusId === null || focusId === undefined) return null;
  const id = fromGlobalId(focusId, FOCUS_TYPES, 'input.focusId');
  const type = parseGlobalId(focusId)?.type as FocusType;
  return { type, id };
}

/** The analytics queries of the contract: decode the arguments, one service call, map to the schema. */
@Resolver()
export class AnalyticsResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @Query(() => BlockerGraph)
  async blockerGraph(
    @CurrentActor() actor: Actor,
    // Optional rather than `| null`, so that its class (and its validation) reaches the input pipe.
    @Args('input', { type: () => BlockerGraphInput, nullable: true }) input?: BlockerGraphInput,
  ): Promise<BlockerGraph> {
    return this.analytics.graph(actor, {
      focus: focusOf(input?.focusId),
      depth: input?.depth,
      openOnly: input?.openOnly,
      layers: input?.layers,
      limit: input?.limit,
      edgeLimit: input?.edgeLimit,
    });
  }

  @Query(() => BlockerImpact)
  async blockerImpact(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Info() info: GraphQLResolveInfo,
  ): Promise<BlockerImpact> {
    const now = Date.now();
    const blockerId = fromGlobalId(id, 'Blocker', 'id');
    const impact = await this.analytics.impact(actor, blockerId, 'id');
    // The lists come from the index; stored rows are read only for fields the index does not hold.
    const answer = new IndexedAnswer(fieldsAsked(info));
    answer.need('blocker', 'Blocker', [impact.blocker]);
    answer.need('affectedNeeds', 'DataNeed', impact.affectedNeeds);
    answer.need('unblockedIfResolved', 'DataNeed', impact.unblockedIfResolved);
    answer.need('affectedProviders', 'Provider', impact.affectedProviders);
    answer.need('prerequisites', 'Blocker', impact.prerequisites);
    answer.need('dependents', 'Blocker', impact.dependents);
    const stored = await this.analytics.entities(actor, answer.needed);
    const blockerOf = (e: BlockerEntity): BlockerNode => BlockerNode.from(e, now);
    const [blocker] = answer.nodes(
      'blocker',
      'Blocker',
      [impact.blocker],
      blockerNode,
      stored.blockers,
      blockerOf,
    );
    // Hidden since the index was read: as if it did not exist.
    if (!blocker)
      throw notFound('Blocker', [blockerId], [{ field: 'id', message: 'no blocker has this ID' }]);
    const needs = (field: string, rows: NeedRow[]): DataNeedNode[] =>
      answer.nodes(field, 'DataNeed', rows, needNode, stored.needs, DataNeedNode.from);
    const blockers = (field: string, rows: BlockerRow[]): BlockerNode[] =>
      answer.nodes(field, 'Blocker', rows, blockerNode, stored.blockers, blockerOf);
    return {
      blocker,
      affectedNeeds: needs('affectedNeeds', impact.affectedNeeds),
      affectedProviders: answer.nodes(
        'affectedProviders',
        'Provider',
        impact.affectedProviders,
        providerNode,
        stored.providers,
        ProviderNode.from,
      ),
      peopleAffectedPerYear: impact.peopleAffectedPerYear,
      unblockedIfResolved: needs('unblockedIfResolved', impact.unblockedIfResolved),
      prerequisites: blockers('prerequisites', impact.prerequisites),
      dependents: blockers('dependents', impact.dependents),
    };
  }

  @Query(() => [BlockerScore], {
    description: 'Open blockers ranked by what resolving each (with its open prerequisites) would unblock.',
  })
  async criticalBlockers(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number,
    @Args('by', { type: () => ImpactMeasure, nullable: true, defaultValue: ImpactMeasure.NEEDS_UNBLOCKED })
    by: ImpactMeasure,
  ): Promise<BlockerScore[]> {
    const now = Date.now();
    const scores = await this.analytics.criticalBlockers(
      actor,
      first ?? 10,
      by ?? ImpactMeasure.NEEDS_UNBLOCKED,
    );
    return scores.map(({ blocker, ...score }) => ({ blocker: BlockerNode.from(blocker, now), ...score }));
  }

  @Query(() => WhatIfResult)
  async whatIf(
    @CurrentActor() actor: Actor,
    @Args('resolve', { type: () => [ID] }) resolve: string[],
  ): Promise<WhatIfResult> {
    const ids = resolve.map((id, i) => fromGlobalId(id, 'Blocker', `resolve.${i}`));
    const now = Date.now();
    const result = await this.analytics.whatIf(actor, ids, (i) => `resolve.${i}`);
    return {
      needsUnblocked: result.needsUnblocked.map(DataNeedNode.from),
      needsStillBlocked: result.needsStillBlocked,
      peopleReached: result.peopleReached,
      providersFullyUnblocked: result.providersFullyUnblocked.map(ProviderNode.from),
      blockedByPrerequisites: result.blockedByPrerequisites.map((b) => BlockerNode.from(b, now)),
    };
  }

  @Query(() => [ExchangeCell])
  async exchangeMatrix(
    @CurrentActor() actor: Actor,
    @Args('openOnly', { type: () => Boolean, nullable: true, defaultValue: true }) openOnly: boolean | null,
  ): Promise<ExchangeCell[]> {
    const cells = await this.analytics.exchangeMatrix(actor, openOnly ?? true);
    return cells.map((c) => ({
      ...c,
      requester: ProviderNode.from(c.requester),
      supplier: ProviderNode.from(c.supplier),
    }));
  }

  @Query(() => RegistryStats)
  async stats(@CurrentActor() actor: Actor): Promise<RegistryStats> {
    return this.analytics.stats(actor);
  }

  @Query(() => ProgressReport)
  async progressReport(
    @CurrentActor() actor: Actor,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: REPORT_LIST_DEFAULT,
      description: `Most blockers in each list and in the Markdown, 1 to ${REPORT_LIST_MAX}; counts stay complete.`,
    })
    first: number | null,
  ): Promise<ProgressReport> {
    const now = Date.now();
    const report = await this.analytics.progressReport(actor, from, to, first ?? REPORT_LIST_DEFAULT);
    return {
      ...report,
      newBlockers: report.newBlockers.map((b) => BlockerNode.from(b, now)),
      resolvedBlockers: report.resolvedBlockers.map((b) => BlockerNode.from(b, now)),
      staleBlockers: report.staleBlockers.map((b) => BlockerNode.from(b, now)),
    };
  }
}
