import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService, diff } from '@app/audit';
import {
  Actor,
  BadUserInputError,
  ensure,
  keysetPage,
  Page,
  PageArgs,
  Permissions,
  TransactionService,
} from '@app/core';
import { DatasetEntity } from './entities/dataset.entity';
import { ProviderEntity } from './entities/provider.entity';

export interface DatasetFields {
  holderId: string;
  name: string;
  code?: string | null;
  description?: string | null;
  isBaseRegistry?: boolean | null;
  containsPersonalData?: boolean | null;
}

@Injectable()
export class DatasetsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(DatasetEntity);
  }

  async register(actor: Actor, fields: DatasetFields): Promise<DatasetEntity> {
    ensure(
      Permissions.registerDataset(actor, fields.holderId),
      'Only a steward of the holder (or an ADMIN) registers its datasets',
    );
    return this.tx.run(async () => {
      if (!(await this.tx.manager.getRepository(ProviderEntity).exists({ where: { id: fields.holderId } }))) {
        throw BadUserInputError.field('input.holderId', 'no provider has this ID');
      }
      const saved = await this.repo.save(
        this.repo.create({
          holderId: fields.holderId,
          name: fields.name,
          code: fields.code ?? null,
          description: fields.description ?? null,
          isBaseRegistry: fields.isBaseRegistry ?? false,
          containsPersonalData: fields.containsPersonalData ?? true,
        }),
      );
      await this.audit.record(actor, {
        action: 'dataset.registered',
        entityType: 'Dataset',
        entityId: saved.id,
        changes: diff(null, saved, [
          'holderId',
          'name',
          'code',
          'description',
          'isBaseRegistry',
          'containsPersonalData',
        ]),
      });
      return saved;
    });
  }

  async get(id: string): Promise<DatasetEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  async byIds(ids: readonly string[]): Promise<DatasetEntity[]> {
    return ids.length === 0 ? [] : this.repo.find({ where: { id: In([...ids]) } });
  }

  async byHolders(holderIds: readonly string[]): Promise<DatasetEntity[]> {
    if (holderIds.length === 0) return [];
    return this.repo.find({ where: { holderId: In([...holderIds]) }, order: { name: 'ASC', id: 'ASC' } });
  }

  async list(args: PageArgs, holderId?: string | null): Promise<Page<DatasetEntity>> {
    const qb = this.repo.createQueryBuilder('d');
    if (holderId) qb.andWhere('d.holder_id = :holderId', { holderId });
    return keysetPage(qb, args, { expr: 'd.name', type: 'text', direction: 'ASC', name: 'name' }, (d) => d);
  }
}
