import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@app/auth/entities/user.entity';
import { DatasetEntity } from '@app/providers/entities/dataset.entity';
import { ProviderEntity } from '@app/providers/entities/provider.entity';

export enum DataNeedState {
  REQUESTED = 'REQUESTED',
  BLOCKED = 'BLOCKED',
  FLOWING = 'FLOWING',
  WITHDRAWN = 'WITHDRAWN',
}

@Entity({ name: 'data_need' })
@Index('ix_data_need_requester', ['requesterId', 'id'])
@Index('ix_data_need_supplier', ['supplierId', 'id'])
@Index('ix_data_need_dataset', ['datasetId'])
@Index('ix_data_need_state', ['state'])
export class DataNeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requester_id' })
  requester?: ProviderEntity;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: ProviderEntity;

  @Column({ name: 'dataset_id', type: 'uuid', nullable: true })
  datasetId: string | null;

  @ManyToOne(() => DatasetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dataset_id' })
  dataset?: DatasetEntity;

  @Column({ name: 'data_elements', type: 'text', array: true })
  dataElements: string[];

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text', nullable: true })
  service: string | null;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis: string | null;

  @Column({ name: 'annual_cases', type: 'int', nullable: true })
  annualCases: number | null;

  @Column({
    type: 'enum',
    enum: DataNeedState,
    enumName: 'data_need_state',
    default: DataNeedState.REQUESTED,
  })
  state: DataNeedState;

  @Column({ name: 'created_by_id', type: 'uuid', nullable: true })
  createdById: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
