import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '@app/auth/entities/user.entity';
import { DataNeedEntity } from '@app/needs/entities/data-need.entity';
import { ProviderEntity } from '@app/providers/entities/provider.entity';
import { BlockerEntity } from './blocker.entity';

/** A blocker affects a data need. */
@Entity({ name: 'blocker_need' })
@Index('ix_blocker_need_need', ['needId', 'blockerId'])
@Index('ix_blocker_need_oldest', ['blockerId', 'needCreatedAt', 'needId'])
export class BlockerNeedEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'uuid', primaryKeyConstraintName: 'pk_blocker_need' })
  blockerId: string;

  @PrimaryColumn({ name: 'need_id', type: 'uuid', primaryKeyConstraintName: 'pk_blocker_need' })
  needId: string;

  @ManyToOne(() => BlockerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocker_id' })
  blocker?: BlockerEntity;

  @ManyToOne(() => DataNeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id' })
  need?: DataNeedEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /**
   * The need's creation time, so that a blocker's needs are listed oldest first from the index
   * ix_blocker_need_oldest. The database fills it (trigger blocker_need_need_created_at, migration
   * AffectedNeedOrder) and keeps it equal to data_need.created_at; the application never writes it.
   */
  @Column({ name: 'need_created_at', type: 'timestamptz', insert: false, update: false })
  needCreatedAt: Date;
}

/** A provider says the blocker affects it too. One per provider. */
@Entity({ name: 'endorsement' })
@Index('ix_endorsement_provider', ['providerId'])
export class EndorsementEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'uuid', primaryKeyConstraintName: 'pk_endorsement' })
  blockerId: string;

  @PrimaryColumn({ name: 'provider_id', type: 'uuid', primaryKeyConstraintName: 'pk_endorsement' })
  providerId: string;

  @ManyToOne(() => BlockerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocker_id' })
  blocker?: BlockerEntity;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id' })
  provider?: ProviderEntity;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** blocker waits for dependsOn: dependsOn must be resolved first. */
@Entity({ name: 'blocker_dependency' })
@Index('ix_blocker_dependency_depends_on', ['dependsOnId', 'blockerId'])
@Check('ck_blocker_dependency_not_self', 'blocker_id <> depends_on_id')
export class BlockerDependencyEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'uuid', primaryKeyConstraintName: 'pk_blocker_dependency' })
  blockerId: string;

  @PrimaryColumn({ name: 'depends_on_id', type: 'uuid', primaryKeyConstraintName: 'pk_blocker_dependency' })
  dependsOnId: string;

  @ManyToOne(() => BlockerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocker_id' })
  blocker?: BlockerEntity;

  @ManyToOne(() => BlockerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'depends_on_id' })
  dependsOn?: BlockerEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'comment' })
@Index('ix_comment_blocker', ['blockerId', 'createdAt', 'id'])
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'blocker_id', type: 'uuid' })
  blockerId: string;

  @ManyToOne(() => BlockerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocker_id' })
  blocker?: BlockerEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
