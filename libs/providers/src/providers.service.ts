import { Injectable } from '@nestjs/common';
import { AuditService, diff } from '@app/audit';
import {
  Actor,
  BadUserInputError,
  ensure,
  keysetPage,
  NotFoundError,
  Page,
  PageArgs,
  Permissions,
  TransactionService,
  entityColumns,
  toEntity,
} from '@app/core';
import { ProviderEntity, ProviderKind } from './entities/provider.entity';

export interface ProviderFields {
  name?: string;
  abbreviation?: string | null;
  kind?: ProviderKind;
  oin?: string | null;
  tooiUri?: string | null;
  parentId?: string | null;
}

export interface ProviderFilterValues {
  kind?: ProviderKind[] | null;
  search?: string | null;
}

/** OINs are kept as the register writes them: letters in the main number in upper case. */
const normaliseOin = (oin: string | null | undefined): string | null | undefined => oin?.toUpperCase();

const AUDITED: Array<keyof ProviderEntity> = ['name', 'abbreviation', 'kind', 'oin', 'tooiUri', 'parentId'];

@Injectable()
export class ProvidersService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(ProviderEntity);
  }

  async create(
    actor: Actor,
    fields: ProviderFields & { name: string; kind: ProviderKind },
  ): Promise<ProviderEntity> {
    ensure(Permissions.manageProviders(actor), 'Only an ADMIN manages providers');
    return this.tx.run(async () => {
      if (fields.parentId) await this.requireParent(fields.parentId);
      const entity = this.repo.create({
        name: fields.name,
        abbreviation: fields.abbreviation ?? null,
        kind: fields.kind,
        oin: normaliseOin(fields.oin) ?? null,
        tooiUri: fields.tooiUri ?? null,
        parentId: fields.parentId ?? null,
      });
      const saved = await this.repo.save(entity);
      await this.audit.record(actor, {
        action: 'provider.created',
        entityType: 'Provider',
        entityId: saved.id,
        changes: diff(null, saved, AUDITED),
      });
      return saved;
    });
  }

  async update(actor: Actor, id: string, fields: ProviderFields): Promise<ProviderEntity> {
    ensure(Permissions.manageProviders(actor), 'Only an ADMIN manages providers');
    return this.tx.run(async () => {
      const before = await this.repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new NotFoundError('Provider', id);
      if (fields.parentId) await this.requireAcyclicParent(id, fields.parentId);
      if (fields.oin) fields = { ...fields, oin: normaliseOin(fields.oin) };
      const after: ProviderEntity = { ...before };
      for (const key of AUDITED) {
        if (fields[key as keyof ProviderFields] !== undefined) {
          (after as unknown as Record<string, unknown>)[key] = fields[key as keyof ProviderFields];
        }
      }
      const changes = diff(before, after, AUDITED);
      if (changes.length === 0) return before;
      const saved = await this.repo.save(after);
      await this.audit.record(actor, {
        action: 'provider.updated',
        entityType: 'Provider',
        entityId: id,
        changes,
      });
      return saved;
    });
  }

  async get(id: string): Promise<ProviderEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** The providers with these ids (the batch behind every provider field of an answer). */
  async byIds(ids: readonly string[]): Promise<ProviderEntity[]> {
    if (ids.length === 0) return [];
    const m = this.tx.manager;
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT ${entityColumns(m, ProviderEntity, 'p')} FROM provider p WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((row) => toEntity(ProviderEntity, row));
  }

  async list(args: PageArgs, filter: ProviderFilterValues = {}): Promise<Page<ProviderEntity>> {
    const qb = this.repo.createQueryBuilder('p');
    if (filter.kind?.length) qb.andWhere('p.kind IN (:...kinds)', { kinds: filter.kind });
    const search = filter.search?.trim();
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        '(p.name ILIKE :like OR p.abbreviation ILIKE :like OR p.oin = :exact OR p.tooi_uri = :exact)',
        { like, exact: search },
      );
    }
    return keysetPage(qb, args, { expr: 'p.name', type: 'text', direction: 'ASC', name: 'name' }, (p) => p);
  }

  /** Resolve a provider by OIN, TOOI URI, name or abbreviation (for imports and seeds). */
  async findByIdentifier(identifier: string): Promise<ProviderEntity | null> {
    return this.repo
      .createQueryBuilder('p')
      .where(
        'p.oin = :v OR p.tooi_uri = :v OR lower(p.abbreviation) = lower(:v) OR lower(p.name) = lower(:v)',
        {
          v: identifier,
        },
      )
      .orderBy('p.oin = :v', 'DESC')
      .limit(1)
      .getOne();
  }

  private async requireParent(parentId: string): Promise<void> {
    if (!(await this.repo.exists({ where: { id: parentId } }))) {
      throw BadUserInputError.field('input.parentId', 'no provider has this ID');
    }
  }

  /** A provider cannot become its own ancestor. */
  private async requireAcyclicParent(id: string, parentId: string): Promise<void> {
    await this.requireParent(parentId);
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 1 FROM provider WHERE id = $1
         UNION ALL SELECT p.id, p.parent_id, up.depth + 1 FROM provider p JOIN up ON p.id = up.parent_id WHERE up.depth < 50
       ) SELECT id FROM up WHERE id = $2 LIMIT 1`,
      [parentId, id],
    );
    if (rows.length > 0)
      throw BadUserInputError.field('input.parentId', 'a provider cannot be its own ancestor');
  }
}
