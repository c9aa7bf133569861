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
import { ProviderEntity } from './provider.entity';

@Entity({ name: 'dataset' })
@Index('uq_dataset_holder_code', ['holderId', 'code'], { unique: true, where: 'code IS NOT NULL' })
@Index('ix_dataset_holder', ['holderId', 'id'])
export class DatasetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'holder_id', type: 'uuid' })
  holderId: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'holder_id' })
  holder?: ProviderEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_base_registry', type: 'boolean', default: false })
  isBaseRegistry: boolean;

  @Column({ name: 'contains_personal_data', type: 'boolean', default: true })
  containsPersonalData: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
