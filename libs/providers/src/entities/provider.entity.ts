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

export enum ProviderKind {
  MINISTRY = 'MINISTRY',
  EXECUTIVE_AGENCY = 'EXECUTIVE_AGENCY',
  MUNICIPALITY = 'MUNICIPALITY',
  PROVINCE = 'PROVINCE',
  WATER_BOARD = 'WATER_BOARD',
  CHAIN_ORGANISATION = 'CHAIN_ORGANISATION',
  OTHER = 'OTHER',
}

@Entity({ name: 'provider' })
@Index('uq_provider_oin', ['oin'], { unique: true, where: 'oin IS NOT NULL' })
@Index('uq_provider_tooi_uri', ['tooiUri'], { unique: true, where: 'tooi_uri IS NOT NULL' })
@Index('ix_provider_parent', ['parentId'])
export class ProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  abbreviation: string | null;

  @Column({ type: 'enum', enum: ProviderKind, enumName: 'provider_kind' })
  kind: ProviderKind;

  @Column({ type: 'char', length: 20, nullable: true })
  oin: string | null;

  @Column({ name: 'tooi_uri', type: 'text', nullable: true })
  tooiUri: string | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: ProviderEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
