import { Field, ID, ObjectType } from '@nestjs/graphql';
import { toGlobalId } from '@app/core';
import { Connection, JSONScalar, NodeInterface } from '@app/core/graphql';
import { AuditEventEntity } from '../entities/audit-event.entity';

@ObjectType('FieldChange')
export class FieldChangeNode {
  @Field()
  field: string;
  @Field(() => JSONScalar, { nullable: true })
  from: unknown;
  @Field(() => JSONScalar, { nullable: true })
  to: unknown;
}

@ObjectType('AuditEvent', {
  implements: () => [NodeInterface],
  description: 'Append-only record of one change; written in the same transaction as the change.',
})
export class AuditEventNode {
  @Field(() => ID)
  id: string;
  @Field()
  at: Date;
  @Field({
    description:
      'e.g. blocker.reported, blocker.transitioned, blocker.updated, need.declared, steering.decided',
  })
  action: string;
  @Field()
  entityType: string;
  @Field(() => ID)
  entityId: string;
  @Field(() => [FieldChangeNode])
  changes: FieldChangeNode[];
  @Field(() => String, { nullable: true })
  reason: string | null;

  __typename: 'AuditEvent';
  localId: string;
  actorId: string | null;
  blockerId: string | null;

  static from(e: AuditEventEntity): AuditEventNode {
    return Object.assign(new AuditEventNode(), {
      __typename: 'AuditEvent' as const,
      id: toGlobalId('AuditEvent', e.id),
      localId: String(e.id),
      at: e.at,
      action: e.action,
      entityType: e.entityType,
      entityId: toGlobalId(e.entityType, e.entityId),
      changes: e.changes,
      reason: e.reason,
      actorId: e.actorId,
      blockerId: e.blockerId,
    });
  }
}

export const AuditEventConnection = Connection(AuditEventNode, 'AuditEvent');
