import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '@app/auth/entities/user.entity';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** Append-only record of one change, written in the same transaction as the change. */
@Entity({ name: 'audit_event' })
@Index('ix_audit_event_blocker', ['blockerId', 'id'])
@Index('ix_audit_event_entity', ['entityType', 'entityId', 'id'])
@Index('uq_audit_event_chain_seq', ['chainSeq'], { unique: true })
/** The workflow transitions of a period (the progress report's resolved and reopened blockers). */
@Index('ix_audit_event_transition', ['at'], {
  where: `entity_type = 'Blocker' AND action = 'blocker.transitioned'`,
})
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  /** The blocker the event belongs to, so that Blocker.history finds comments and links too. */
  @Column({ name: 'blocker_id', type: 'uuid', nullable: true })
  blockerId: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  changes: FieldChange[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /**
   * Position in the hash chain, in commit order; given by the database when the event's transaction
   * commits (ADR 14), so null only inside that transaction, never in a committed event.
   */
  @Column({ name: 'chain_seq', type: 'bigint', nullable: true, insert: false, update: false })
  chainSeq: string | null;

  /** Hash of the previous event in the chain (null for the first). */
  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true, insert: false, update: false })
  prevHash: string | null;

  /** SHA-256 over this event's content and prevHash; given with chainSeq, at commit. */
  @Column({ type: 'char', length: 64, nullable: true, insert: false, update: false })
  hash: string | null;
}
