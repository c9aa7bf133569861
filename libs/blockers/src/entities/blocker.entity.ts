import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@app/auth/entities/user.entity';
import { ProviderEntity } from '@app/providers/entities/provider.entity';
import {
  BlockerLayer,
  BlockerType,
  Effort,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '../domain/taxonomy';
import { PriorityCounts } from '../domain/priority-inputs';
import { BlockerStatus } from '../domain/workflow';

/**
 * The search document (weights: A key and title, B legal reference, C description). Changing it needs a
 * migration: TypeORM compares this text with the one recorded in typeorm_metadata.
 */
export const BLOCKER_SEARCH_DOCUMENT = [
  `setweight(to_tsvector('simple'::regconfig, 'KNP-' || "number"::text), 'A')`,
  `setweight(to_tsvector('dutch'::regconfig, "title"), 'A')`,
  `setweight(to_tsvector('english'::regconfig, "title"), 'A')`,
  `setweight(to_tsvector('simple'::regconfig, coalesce("legal_reference", '')), 'B')`,
  `setweight(to_tsvector('dutch'::regconfig, coalesce("legal_reference", '')), 'B')`,
  `setweight(to_tsvector('english'::regconfig, coalesce("legal_reference", '')), 'B')`,
  `setweight(to_tsvector('dutch'::regconfig, "description"), 'C')`,
  `setweight(to_tsvector('english'::regconfig, "description"), 'C')`,
].join(' || ');

export interface StoredFactor {
  name: string;
  value: number;
  weight: number;
  contribution: number;
}

@Entity({ name: 'blocker' })
@Index('uq_blocker_number', ['number'], { unique: true })
@Index('ix_blocker_priority', ['priorityScore', 'id'])
/**
 * The progress report's indexes (migration ProgressReportIndexes, ADR 13). ix_blocker_created
 * (created_at, id) and ix_blocker_open_since (status_changed_at, number; open blockers) include more
 * columns than their keys, which TypeORM cannot declare: the migration defines them, and schema
 * synchronisation leaves them alone.
 */
@Index('ix_blocker_created', { synchronize: false })
@Index('ix_blocker_open_since', { synchronize: false })
@Index('ix_blocker_status_changed', ['statusChangedAt'])
@Index('ix_blocker_status', ['status'])
@Index('ix_blocker_reporting_provider', ['reportingProviderId'])
@Index('ix_blocker_owner', ['ownerId'])
@Index('ix_blocker_duplicate_of', ['duplicateOfId'])
@Index('ix_blocker_search', ['searchVector'], { type: 'gin' })
/**
 * The open blockers, small enough to read whole: the graph analytics load the open set (and join links
 * and dependencies to it) on every request; with this index that is an index-only scan, not a read of
 * every wide blocker row.
 */
@Index('ix_blocker_open', ['id', 'number'], {
  where: `status IN ('REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED')`,
})
/** Ranks are unique among open blockers (closing one clears its rank); deferred so ranks can shift in one statement. */
@Unique('uq_blocker_rank', ['priorityRank'], { deferrable: 'INITIALLY DEFERRED' })
@Check('ck_blocker_rank_positive', 'priority_rank IS NULL OR priority_rank > 0')
@Check('ck_blocker_version_positive', 'version > 0')
export class BlockerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** From the sequence blocker_number_seq: never reused, even when a report fails. */
  @Column({ type: 'int' })
  @Generated('increment')
  number: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'enum', enum: BlockerType, enumName: 'blocker_type' })
  type: BlockerType;

  @Column({ type: 'enum', enum: BlockerLayer, enumName: 'blocker_layer' })
  layer: BlockerLayer;

  @Column({ type: 'boolean', default: false })
  perceived: boolean;

  @Column({ name: 'legal_reference', type: 'text', nullable: true })
  legalReference: string | null;

  @Column({ type: 'enum', enum: Severity, enumName: 'severity' })
  severity: Severity;

  @Column({ type: 'enum', enum: BlockerStatus, enumName: 'blocker_status', default: BlockerStatus.REPORTED })
  status: BlockerStatus;

  @Column({ type: 'boolean', default: false })
  confidential: boolean;

  @Column({ name: 'reported_by_id', type: 'uuid', nullable: true })
  reportedById: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reported_by_id' })
  reportedBy?: UserEntity;

  @Column({ name: 'reporting_provider_id', type: 'uuid' })
  reportingProviderId: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporting_provider_id' })
  reportingProvider?: ProviderEntity;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner?: ProviderEntity;

  @Column({ name: 'people_affected_per_year', type: 'int', nullable: true })
  peopleAffectedPerYear: number | null;

  @Column({ name: 'businesses_affected_per_year', type: 'int', nullable: true })
  businessesAffectedPerYear: number | null;

  @Column({ name: 'manual_hours_per_year', type: 'int', nullable: true })
  manualHoursPerYear: number | null;

  @Column({ name: 'cost_per_year_eur', type: 'bigint', nullable: true })
  costPerYearEur: string | null;

  @Column({ type: 'enum', enum: Effort, enumName: 'effort', nullable: true })
  effort: Effort | null;

  @Column({ name: 'target_date', type: 'date', nullable: true })
  targetDate: string | null;

  @Column({ name: 'priority_score', type: 'float8', default: 0 })
  priorityScore: number;

  @Column({ name: 'priority_factors', type: 'jsonb', default: () => "'[]'" })
  priorityFactors: StoredFactor[];

  /**
   * The counts the score was computed from besides the blocker's own fields (`PriorityCounts`: annual
   * cases and providers of its needs, needs unblocked, open dependents), written with the score. A
   * report brings its neighbours' scores up to date from them. Null when stored before they were: the
   * server counts them when it starts.
   */
  @Column({ name: 'priority_inputs', type: 'jsonb', nullable: true })
  priorityInputs: PriorityCounts | null;

  @Column({
    name: 'priority_level',
    type: 'enum',
    enum: PriorityLevel,
    enumName: 'priority_level',
    nullable: true,
  })
  priorityLevel: PriorityLevel | null;

  @Column({ name: 'priority_rank', type: 'int', nullable: true })
  priorityRank: number | null;

  @Column({ name: 'priority_rationale', type: 'text', nullable: true })
  priorityRationale: string | null;

  @Column({ name: 'priority_decided_at', type: 'timestamptz', nullable: true })
  priorityDecidedAt: Date | null;

  @Column({
    name: 'resolution_kind',
    type: 'enum',
    enum: ResolutionKind,
    enumName: 'resolution_kind',
    nullable: true,
  })
  resolutionKind: ResolutionKind | null;

  @Column({ name: 'resolution_summary', type: 'text', nullable: true })
  resolutionSummary: string | null;

  @Column({ name: 'resolution_reference', type: 'text', nullable: true })
  resolutionReference: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'duplicate_of_id', type: 'uuid', nullable: true })
  duplicateOfId: string | null;

  @ManyToOne(() => BlockerEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'duplicate_of_id' })
  duplicateOf?: BlockerEntity;

  /** Kept with every endorsement change so that ENDORSEMENTS can be ordered by an index. */
  @Column({ name: 'endorsement_count', type: 'int', default: 0 })
  endorsementCount: number;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;

  /** When it last closed; null while open. Days open count to here for a closed blocker. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /**
   * Full-text document for BlockerFilter.search, kept by PostgreSQL itself (a stored generated column):
   * the key and legal reference as written, and title, legal reference and description stemmed in
   * Dutch and in English. Never selected, never written by the application.
   */
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: BLOCKER_SEARCH_DOCUMENT,
  })
  searchVector?: string;
}
