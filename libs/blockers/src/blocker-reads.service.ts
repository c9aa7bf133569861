import { Injectable } from '@nestjs/common';
import { Actor, decodeCursor, encodeCursor, Page, TransactionService } from '@app/core';
import { DataNeedEntity } from '@app/needs';
import { visibleRawSql } from './blocker-visibility';
import { OPEN_STATUSES } from './domain/workflow';
import { EndorsementEntity } from './entities/links.entity';

export interface Pair {
  from: string;
  to: string;
}

const NEED_ORDER = 'need-created';

/**
 * Batched reads around blockers, each one SQL statement for any number of blockers, so that the
 * GraphQL layer's DataLoaders answer a list of N blockers in a constant number of statements.
 */
@Injectable()
export class BlockerReadsService {
  constructor(private readonly tx: TransactionService) {}

  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.tx.manager.query(sql, params);
  }

  /** A page of affected needs for each blocker (oldest need first), all with the same page arguments. */
  async affectedNeedPages(
    blockerIds: readonly string[],
    first: number,
    after: string | null,
  ): Promise<Map<string, Page<DataNeedEntity>>> {
    const cursor = decodeCursor(after, NEED_ORDER);
    const rows = await this.query<
      Record<string, unknown> & { blocker_id: string; total: string; rn: string; sort_key: string }
    >(
      `SELECT * FROM (
         SELECT t.*, row_number() OVER (PARTITION BY t.blocker_id ORDER BY t.created_at, t.id) AS rn
         FROM (
           SELECT bn.blocker_id, n.*, n.created_at::text AS sort_key,
                  count(*) OVER (PARTITION BY bn.blocker_id) AS total
           FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id
           WHERE bn.blocker_id = ANY($1::uuid[])
         ) t
         WHERE $2::timestamptz IS NULL OR (t.created_at, t.id) > ($2::timestamptz, $3::uuid)
       ) p WHERE p.rn <= $4`,
      [blockerIds, cursor?.k ?? null, cursor?.id ?? null, first + 1],
    );
    const asOf = cursor?.asOf ?? new Date().toISOString();
    const pages = new Map<string, Page<DataNeedEntity>>();
    for (const id of blockerIds) {
      const mine = rows.filter((r) => r.blocker_id === id);
      const total = mine.length > 0 ? Number(mine[0].total) : 0;
      const shown = mine.slice(0, first);
      pages.set(id, {
        nodes: shown.map(toNeed),
        cursors: shown.map((r) => encodeCursor({ k: r.sort_key, id: String(r.id), asOf, sig: NEED_ORDER })),
        hasNextPage: mine.length > first,
        hasPreviousPage: cursor !== null,
        totalCount: async () => total,
      });
    }
    return pages;
  }

  /** Requesters and suppliers of the affected needs, and endorsing providers, without repeats. */
  async affectedProviders(blockerIds: readonly string[]): Promise<Pair[]> {
    return this.query<Pair>(
      `SELECT DISTINCT x.blocker_id AS "from", x.provider_id AS "to" FROM (
         SELECT bn.blocker_id, n.requester_id AS provider_id FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id WHERE bn.blocker_id = ANY($1::uuid[])
         UNION SELECT bn.blocker_id, n.supplier_id FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id WHERE bn.blocker_id = ANY($1::uuid[])
         UNION SELECT e.blocker_id, e.provider_id FROM endorsement e WHERE e.blocker_id = ANY($1::uuid[])
       ) x`,
      [blockerIds],
    );
  }

  async endorsements(blockerIds: readonly string[]): Promise<EndorsementEntity[]> {
    return this.tx.manager
      .getRepository(EndorsementEntity)
      .createQueryBuilder('e')
      .where('e.blocker_id = ANY(:ids)', { ids: blockerIds })
      .orderBy('e.created_at')
      .getMany();
  }

  /** blocker -> the blockers it depends on. */
  async prerequisites(blockerIds: readonly string[]): Promise<Pair[]> {
    return this.query<Pair>(
      `SELECT d.blocker_id AS "from", d.depends_on_id AS "to" FROM blocker_dependency d JOIN blocker b ON b.id = d.depends_on_id
       WHERE d.blocker_id = ANY($1::uuid[]) ORDER BY b.number`,
      [blockerIds],
    );
  }

  /** blocker -> the blockers that depend on it. */
  async dependents(blockerIds: readonly string[]): Promise<Pair[]> {
    return this.query<Pair>(
      `SELECT d.depends_on_id AS "from", d.blocker_id AS "to" FROM blocker_dependency d JOIN blocker b ON b.id = d.blocker_id
       WHERE d.depends_on_id = ANY($1::uuid[]) ORDER BY b.number`,
      [blockerIds],
    );
  }

  /** original -> the blockers marked as its duplicates. */
  async duplicates(blockerIds: readonly string[]): Promise<Pair[]> {
    return this.query<Pair>(
      `SELECT b.duplicate_of_id AS "from", b.id AS "to" FROM blocker b WHERE b.duplicate_of_id = ANY($1::uuid[]) ORDER BY b.number`,
      [blockerIds],
    );
  }

  /** The blockers among these that wait for at least one open blocker. */
  async withOpenPrerequisite(blockerIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.query<{ id: string }>(
      `SELECT DISTINCT d.blocker_id AS id FROM blocker_dependency d JOIN blocker b ON b.id = d.depends_on_id
       WHERE d.blocker_id = ANY($1::uuid[]) AND b.status = ANY($2::blocker_status[])`,
      [blockerIds, OPEN_STATUSES],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** need -> blockers affecting it that the actor may see (optionally only open ones), by report order. */
  async blockersOfNeeds(actor: Actor, needIds: readonly string[], openOnly: boolean): Promise<Pair[]> {
    const visible = visibleRawSql(actor, 'b', 3);
    const params: unknown[] = [needIds, openOnly ? OPEN_STATUSES : null];
    if (visible.param) params.push(visible.param);
    return this.query<Pair>(
      `SELECT bn.need_id AS "from", b.id AS "to" FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
       WHERE bn.need_id = ANY($1::uuid[]) AND ($2::blocker_status[] IS NULL OR b.status = ANY($2::blocker_status[]))
         AND ${visible.sql}
       ORDER BY b.number`,
      params,
    );
  }

  /** Open blockers affecting a need of the provider (as requester or supplier) or owned by it. Counts include confidential ones. */
  async openBlockerCounts(providerIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.query<{ provider_id: string; count: string }>(
      `SELECT p.id AS provider_id, count(DISTINCT b.id) AS count
       FROM unnest($1::uuid[]) AS p(id)
       JOIN LATERAL (
         SELECT b.id FROM blocker b WHERE b.owner_id = p.id AND b.status = ANY($2::blocker_status[])
         UNION
         SELECT bn.blocker_id FROM data_need n JOIN blocker_need bn ON bn.need_id = n.id JOIN blocker b2 ON b2.id = bn.blocker_id
         WHERE (n.requester_id = p.id OR n.supplier_id = p.id) AND b2.status = ANY($2::blocker_status[])
       ) b ON TRUE
       GROUP BY p.id`,
      [providerIds, OPEN_STATUSES],
    );
    return new Map(rows.map((r) => [r.provider_id, Number(r.count)]));
  }
}

function toNeed(row: Record<string, unknown>): DataNeedEntity {
  return {
    id: row.id as string,
    requesterId: row.requester_id as string,
    supplierId: row.supplier_id as string,
    datasetId: (row.dataset_id as string | null) ?? null,
    dataElements: row.data_elements as string[],
    purpose: row.purpose as string,
    service: (row.service as string | null) ?? null,
    legalBasis: (row.legal_basis as string | null) ?? null,
    annualCases: (row.annual_cases as number | null) ?? null,
    state: row.state as DataNeedEntity['state'],
    createdById: (row.created_by_id as string | null) ?? null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
