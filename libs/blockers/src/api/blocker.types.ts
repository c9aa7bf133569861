import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { toGlobalId } from '@app/core';
import { Connection, DateScalar, NodeInterface } from '@app/core/graphql';
import { BlockerOrderField, SortDirection } from '../blocker-query';
import {
  BlockerLayer,
  BlockerType,
  Effort,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '../domain/taxonomy';
import { BlockerStatus, isOpen } from '../domain/workflow';
import { BlockerEntity } from '../entities/blocker.entity';
import { CommentEntity, EndorsementEntity } from '../entities/links.entity';

registerEnumType(BlockerLayer, {
  name: 'BlockerLayer',
  description: 'The layer of the European Interoperability Framework the blocker sits in, plus governance.',
});
registerEnumType(BlockerType, {
  name: 'BlockerType',
  description:
    "Every type belongs to exactly one layer (shared/domain/BRIEF.md lists which); a blocker's layer follows from its type.",
});
registerEnumType(Severity, { name: 'Severity' });
registerEnumType(BlockerStatus, {
  name: 'BlockerStatus',
  description:
    'Open: REPORTED, TRIAGED, PRIORITISED, IN_PROGRESS, ESCALATED. Closed: RESOLVED, REJECTED, DUPLICATE, WITHDRAWN.',
  valuesMap: {
    ESCALATED: { description: 'Needs a decision above the network: a law, a minister, parliament.' },
  },
});
registerEnumType(ResolutionKind, { name: 'ResolutionKind' });
registerEnumType(Effort, { name: 'Effort' });
registerEnumType(PriorityLevel, { name: 'PriorityLevel' });
registerEnumType(BlockerOrderField, { name: 'BlockerOrderField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType('Impact')
export class ImpactNode {
  @Field(() => Int, { nullable: true })
  peopleAffectedPerYear: number | null;
  @Field(() => Int, { nullable: true })
  businessesAffectedPerYear: number | null;
  @Field(() => Int, { nullable: true })
  manualHoursPerYear: number | null;
  @Field(() => Int, { nullable: true })
  costPerYearEur: number | null;
}

@ObjectType('PriorityFactor', {
  description: 'One term of the computed priority score, so that every score can be explained.',
})
export class PriorityFactorNode {
  @Field()
  name: string;
  @Field(() => Float)
  value: number;
  @Field(() => Float)
  weight: number;
  @Field(() => Float)
  contribution: number;
}

@ObjectType('Priority')
export class PriorityNode {
  @Field(() => Float, { description: 'Computed from the blocker and the graph, 0 to 100; higher first.' })
  score: number;
  @Field(() => [PriorityFactorNode])
  factors: PriorityFactorNode[];
  @Field(() => PriorityLevel, { nullable: true, description: 'Set by the steering group.' })
  level: PriorityLevel | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Place on the steering agenda, 1 first; unique among open blockers; null when not on it.',
  })
  rank: number | null;
  @Field(() => String, { nullable: true, description: 'Rationale of the last steering decision.' })
  rationale: string | null;
  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;
}

@ObjectType('Resolution')
export class ResolutionNode {
  @Field(() => ResolutionKind)
  kind: ResolutionKind;
  @Field()
  summary: string;
  @Field(() => String, {
    nullable: true,
    description:
      'Where the fix can be found: a Staatscourant or Kamerstuk number, an agreement, a contract id, a URL.',
  })
  reference: string | null;
  @Field()
  resolvedAt: Date;
}

@ObjectType('Endorsement')
export class EndorsementNode {
  @Field(() => String, { nullable: true })
  note: string | null;
  @Field()
  createdAt: Date;

  providerId: string;
  userId: string | null;

  static from(e: EndorsementEntity): EndorsementNode {
    return Object.assign(new EndorsementNode(), {
      note: e.note,
      createdAt: e.createdAt,
      providerId: e.providerId,
      userId: e.userId,
    });
  }
}

@ObjectType('Comment', { implements: () => [NodeInterface] })
export class CommentNode {
  @Field(() => ID)
  id: string;
  @Field()
  body: string;
  @Field()
  createdAt: Date;

  __typename: 'Comment';
  localId: string;
  authorId: string;
  blockerId: string;

  static from(e: CommentEntity): CommentNode {
    return Object.assign(new CommentNode(), {
      __typename: 'Comment' as const,
      id: toGlobalId('Comment', e.id),
      localId: e.id,
      body: e.body,
      createdAt: e.createdAt,
      authorId: e.authorId,
      blockerId: e.blockerId,
    });
  }
}

const DAY_MS = 86_400_000;

@ObjectType('Blocker', { implements: () => [NodeInterface] })
export class BlockerNode {
  @Field(() => ID)
  id: string;
  @Field({ description: 'Human reference, KNP-1, KNP-2, ...; never reused.' })
  key: string;
  @Field()
  title: string;
  @Field()
  description: string;
  @Field(() => BlockerType)
  type: BlockerType;
  @Field(() => BlockerLayer)
  layer: BlockerLayer;
  @Field({
    description: 'True when it rests on a cautious reading of the rules rather than on a binding rule.',
  })
  perceived: boolean;
  @Field(() => String, { nullable: true, description: "The article it rests on, e.g. 'AWR art. 67'." })
  legalReference: string | null;
  @Field(() => Severity)
  severity: Severity;
  @Field(() => BlockerStatus)
  status: BlockerStatus;
  @Field()
  open: boolean;
  @Field({
    description:
      'Visible only to ADMIN, STEERING and stewards of the reporting, owning or affected providers.',
  })
  confidential: boolean;
  @Field(() => ImpactNode)
  impact: ImpactNode;
  @Field(() => Effort, { nullable: true })
  effort: Effort | null;
  @Field(() => DateScalar, { nullable: true })
  targetDate: string | null;
  @Field(() => PriorityNode)
  priority: PriorityNode;
  @Field(() => ResolutionNode, { nullable: true })
  resolution: ResolutionNode | null;
  @Field(() => Int, {
    description: 'Increases with every change; mutations that change a blocker take it as expectedVersion.',
  })
  version: number;
  @Field(() => Int)
  daysOpen: number;
  @Field()
  createdAt: Date;
  @Field()
  updatedAt: Date;
  @Field()
  statusChangedAt: Date;

  __typename: 'Blocker';
  localId: string;
  entity: BlockerEntity;

  /**
   * A blocker named by what a search found (id, key, title): only for answers that ask no more of it
   * (`DUPLICATE_NAMES`); every other field is unset.
   */
  static reference(c: { id: string; number: number; title: string }): BlockerNode {
    return Object.assign(new BlockerNode(), {
      __typename: 'Blocker' as const,
      id: toGlobalId('Blocker', c.id),
      localId: c.id,
      key: `KNP-${c.number}`,
      title: c.title,
    });
  }

  static from(e: BlockerEntity, now = Date.now()): BlockerNode {
    const end = e.closedAt ? e.closedAt.getTime() : now;
    return Object.assign(new BlockerNode(), {
      __typename: 'Blocker' as const,
      id: toGlobalId('Blocker', e.id),
      localId: e.id,
      entity: e,
      key: `KNP-${e.number}`,
      title: e.title,
      description: e.description,
      type: e.type,
      layer: e.layer,
      perceived: e.perceived,
      legalReference: e.legalReference,
      severity: e.severity,
      status: e.status,
      open: isOpen(e.status),
      confidential: e.confidential,
      impact: {
        peopleAffectedPerYear: e.peopleAffectedPerYear,
        businessesAffectedPerYear: e.businessesAffectedPerYear,
        manualHoursPerYear: e.manualHoursPerYear,
        costPerYearEur: e.costPerYearEur === null ? null : Number(e.costPerYearEur),
      },
      effort: e.effort,
      targetDate: e.targetDate,
      priority: {
        score: e.priorityScore,
        factors: e.priorityFactors,
        level: e.priorityLevel,
        rank: e.priorityRank,
        rationale: e.priorityRationale,
        decidedAt: e.priorityDecidedAt,
      },
      resolution:
        e.resolutionKind && e.resolutionSummary && e.resolvedAt
          ? {
              kind: e.resolutionKind,
              summary: e.resolutionSummary,
              reference: e.resolutionReference,
              resolvedAt: e.resolvedAt,
            }
          : null,
      version: e.version,
      daysOpen: Math.max(0, Math.floor((end - e.createdAt.getTime()) / DAY_MS)),
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      statusChangedAt: e.statusChangedAt,
    });
  }
}

export const BlockerConnection = Connection(BlockerNode, 'Blocker');
export const CommentConnection = Connection(CommentNode, 'Comment');

/** The fields of a blocker that `BlockerNode.reference` answers. */
export const DUPLICATE_NAMES: ReadonlySet<string> = new Set(['__typename', 'id', 'key', 'title']);

@ObjectType('ReportBlockerPayload')
export class ReportBlockerPayload {
  @Field(() => BlockerNode)
  blocker: BlockerNode;
  @Field(() => [BlockerNode], {
    description:
      'Open blockers that look like the same problem (same need and layer, or similar text), best first.',
  })
  possibleDuplicates: BlockerNode[];
}
