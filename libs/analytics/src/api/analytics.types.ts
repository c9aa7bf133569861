import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BlockerLayer, BlockerStatus } from '@app/blockers';
import { BlockerNode } from '@app/blockers/api';
import { DataNeedNode } from '@app/needs/api';
import { ProviderNode } from '@app/providers/api';
import { GraphEdgeKind, GraphNodeKind } from '../domain/blocker-graph';
import { ImpactMeasure } from '../domain/impact';

export { GraphEdgeKind, GraphNodeKind, ImpactMeasure };

registerEnumType(GraphNodeKind, { name: 'GraphNodeKind' });
registerEnumType(GraphEdgeKind, {
  name: 'GraphEdgeKind',
  valuesMap: {
    NEEDS: { description: 'requester -> supplier, one per data need.' },
    HOLDS: { description: 'provider -> dataset it holds.' },
    BLOCKS: { description: 'blocker -> requester and blocker -> supplier of each need it affects.' },
    DEPENDS_ON: { description: 'blocker -> blocker it depends on.' },
  },
});
registerEnumType(ImpactMeasure, { name: 'ImpactMeasure' });

@ObjectType()
export class GraphNode {
  @Field(() => ID)
  id: string;
  @Field(() => GraphNodeKind)
  kind: GraphNodeKind;
  @Field()
  label: string;
  @Field(() => Float, {
    description: 'Open blockers touching it (providers, datasets) or priority score (blockers).',
  })
  weight: number;
}

@ObjectType()
export class GraphEdge {
  @Field(() => ID)
  source: string;
  @Field(() => ID)
  target: string;
  @Field(() => GraphEdgeKind)
  kind: GraphEdgeKind;
  @Field(() => ID, { nullable: true, description: 'The data need behind a NEEDS or BLOCKS edge.' })
  needId: string | null;
  @Field()
  blocked: boolean;
}

@InputType()
export class BlockerGraphInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Start from this provider, dataset or blocker; the whole registry when null.',
  })
  @IsOptional()
  @IsString()
  focusId?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Hops from the focus, 0 to 4.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4)
  depth?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  @IsOptional()
  @IsBoolean()
  openOnly?: boolean | null;

  @Field(() => [BlockerLayer], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(BlockerLayer, { each: true })
  layers?: BlockerLayer[] | null;

  @Field(() => Int, { nullable: true, defaultValue: 500, description: 'Most nodes returned, 1 to 5000.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 2000,
    description:
      'Most edges returned, 1 to 20000: those among the first nodes (nearest, most connected) first. ' +
      'truncated says when edges were cut; totalEdges counts them all.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20000)
  edgeLimit?: number | null;
}

@ObjectType()
export class BlockerGraph {
  @Field(() => [GraphNode])
  nodes: GraphNode[];
  @Field(() => [GraphEdge])
  edges: GraphEdge[];
  @Field(() => Int, { description: 'Nodes that matched before the limit cut.' })
  totalNodes: number;
  @Field(() => Int, { description: 'Edges among the nodes returned, before the edgeLimit cut.' })
  totalEdges: number;
  @Field({ description: 'Nodes (limit) or edges (edgeLimit) were cut.' })
  truncated: boolean;
}

@ObjectType()
export class BlockerImpact {
  @Field(() => BlockerNode)
  blocker: BlockerNode;
  @Field(() => [DataNeedNode])
  affectedNeeds: DataNeedNode[];
  @Field(() => [ProviderNode])
  affectedProviders: ProviderNode[];
  @Field(() => Int, { description: 'Sum of annualCases over the affected needs.' })
  peopleAffectedPerYear: number;
  @Field(() => [DataNeedNode], {
    description:
      'Needs that would have no open blocker left if this blocker and its open prerequisites were resolved.',
  })
  unblockedIfResolved: DataNeedNode[];
  @Field(() => [BlockerNode], { description: 'Open blockers that must be resolved first, transitively.' })
  prerequisites: BlockerNode[];
  @Field(() => [BlockerNode], { description: 'Open blockers that wait for this one, transitively.' })
  dependents: BlockerNode[];
}

@ObjectType()
export class BlockerScore {
  @Field(() => BlockerNode)
  blocker: BlockerNode;
  @Field(() => Int)
  needsUnblocked: number;
  @Field(() => Int)
  peopleReached: number;
  @Field(() => Int)
  providersUnblocked: number;
}

@ObjectType()
export class WhatIfResult {
  @Field(() => [DataNeedNode], {
    description:
      'Needs that have no open blocker left once the given blockers (and nothing else) are resolved.',
  })
  needsUnblocked: DataNeedNode[];
  @Field(() => Int)
  needsStillBlocked: number;
  @Field(() => Int)
  peopleReached: number;
  @Field(() => [ProviderNode], { description: 'Providers none of whose needs would stay blocked.' })
  providersFullyUnblocked: ProviderNode[];
  @Field(() => [BlockerNode], {
    description:
      'Given blockers that cannot be resolved alone because an open prerequisite is not in the set.',
  })
  blockedByPrerequisites: BlockerNode[];
}

@ObjectType()
export class ExchangeCell {
  @Field(() => ProviderNode)
  requester: ProviderNode;
  @Field(() => ProviderNode)
  supplier: ProviderNode;
  @Field(() => Int)
  needs: number;
  @Field(() => Int)
  blockedNeeds: number;
  @Field(() => Int)
  openBlockers: number;
}

@ObjectType()
export class StatusCount {
  @Field(() => BlockerStatus)
  status: BlockerStatus;
  @Field(() => Int)
  count: number;
}

@ObjectType()
export class LayerCount {
  @Field(() => BlockerLayer)
  layer: BlockerLayer;
  @Field(() => Int)
  open: number;
  @Field(() => Int)
  resolved: number;
}

@ObjectType()
export class AgeBucket {
  @Field({ description: "e.g. '0-30', '31-90', '91-180', '181+' (days open)." })
  label: string;
  @Field(() => Int)
  count: number;
}

@ObjectType()
export class RegistryStats {
  @Field(() => Int)
  open: number;
  @Field(() => [StatusCount])
  byStatus: StatusCount[];
  @Field(() => [LayerCount])
  byLayer: LayerCount[];
  @Field(() => [AgeBucket])
  ageing: AgeBucket[];
  @Field(() => Float, {
    nullable: true,
    description: 'Median days from report to RESOLVED, over all resolved blockers; null when none.',
  })
  medianDaysToResolve: number | null;
  @Field(() => Int, { description: 'Open blockers without a status change for 90 days or more.' })
  stale: number;
}

@ObjectType({
  description: 'What a progress report to parliament needs for a period: what went well and what is stuck.',
})
export class ProgressReport {
  @Field()
  from: Date;
  @Field()
  to: Date;
  @Field(() => Int)
  reported: number;
  @Field(() => Int)
  resolved: number;
  @Field(() => Int)
  reopened: number;
  @Field(() => Float, { nullable: true })
  medianDaysToResolve: number | null;
  @Field(() => [LayerCount])
  byLayer: LayerCount[];
  @Field(() => [BlockerNode])
  newBlockers: BlockerNode[];
  @Field(() => [BlockerNode])
  resolvedBlockers: BlockerNode[];
  @Field(() => [BlockerNode], {
    description: 'Open at the end of the period and without a status change for 90 days or more.',
  })
  staleBlockers: BlockerNode[];
  @Field({ description: 'The same report as a Markdown document.' })
  markdown: string;
}
