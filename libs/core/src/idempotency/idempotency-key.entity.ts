import type { GraphQLFormattedError } from 'graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A mutation's response as stored for retries: what the client was sent, without extensions. */
export interface StoredResponse {
  data: Record<string, unknown> | null;
  errors?: ReadonlyArray<GraphQLFormattedError>;
}

/**
 * One Idempotency-Key of one user (a retry of a mutation with the same key is answered from here).
 * No foreign key to app_user: users are never deleted (the audit trail refers to them).
 */
@Entity({ name: 'idempotency_key' })
@Index('ix_idempotency_key_expires_at', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_idempotency_key' })
  userId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_key' })
  key: string;

  /** SHA-256 of the operation, its name and its variables: the same key must come with the same request. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  /** Which request holds the key; its transactions write only while this still names it. */
  @Column({ name: 'claim_token', type: 'uuid' })
  claimToken: string;

  @Column({ name: 'claimed_at', type: 'timestamptz' })
  claimedAt: Date;

  /** Set in the mutation's own transaction: once this is set, the mutation's writes are committed. */
  @Column({ name: 'executed_at', type: 'timestamptz', nullable: true })
  executedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  response: StoredResponse | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
