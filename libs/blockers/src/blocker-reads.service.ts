import { Injectable } from '@nestjs/common';
import {
  Actor,
  decodeTypedCursor,
  encodeCursor,
  entityColumns,
  Page,
  toEntity,
  TransactionService,
} from '@app/core';
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

  /**
   * A page of affected needs for each blocker (oldest need first), all with the same page arguments:
   * per blocker, the first `first + 1` entries of ix_blocker_need_oldest after the cursor, and the
   * count of its links.
   */
  async affectedNeedPages(
    blockerIds: readonly string[],
    first: number,
    after: string | null,
  ): Promise<Map<string, Page<DataNeedEntity>>> {
    const cursor = decodeTypedCursor(after, NEED_ORDER, 'timestamptz');
    const params: unknown[] = [blockerIds, first + 1];
    if (cursor) params.push(cursor.k, cursor.id);
    const rows = await this.query<
      Record<string, unknown> & { blocker_id: string; total: number; sort_key: string | null }
    >(
      `SELECT b.id AS blocker_id, t.total, p.need_created_at::text AS sort_key, ${entityColumns(this.tx.manager, DataNeedEntity, 'n')}
       FROM unnest($1::uuid[]) AS b(id)
       CROSS JOIN LATERAL (SELECT count(*)::int AS total FROM blocker_need c WHERE c.blocker_id = b.id) t
       LEFT JOIN LATERAL (
         SELECT bn.need_id, bn.need_created_at FROM blocker_need bn
         WHERE bn.blocker_id = b.id${cursor ? ' AND (bn.need_created_at, bn.need_id) > ($3::timestamptz, $4::uuid)' : ''}
         ORDER BY bn.need_created_at, bn.need_id
         LIMIT $2
       ) p ON TRUE
       LEFT JOIN data_need n ON n.id = p.need_id
       ORDER BY b.id, p.need_created_at, p.need_id`,
      params,
    );
    const asOf = cursor?.asOf ?? new Date().toISOString();
    const byBlocker = new Map<string, typeof rows>();
    for (const row of rows) {
      const mine = byBlocker.get(row.blocker_id);
      if (mine) mine.push(row);
      else byBlocker.set(row.blocker_id, [row]);
    }
    const pages = new Map<string, Page<DataNeedEntity>>();
    for (const id of blockerIds) {
      const mine = byBlocker.get(id) ?? [];
      const total = mine.length > 0 ? Number(mine[0].total) : 0;
      const needs = mine.filter((r) => r.id !== null);
      const shown = needs.slice(0, first);
      let cursors: string[] | undefined;
      pages.set(id, {
        // Beside blocker_id, total and sort_key, a row holds the need's columns.
        nodes: shown.map(({ blocker_id: _b, total: _t, sort_key: _k, ...need }) =>
          toEntity(DataNeedEntity, need),
        ),
        // Encoded when a client selects them (edges, pageInfo), not for every need of every blocker.
        get cursors() {
          return (cursors ??= shown.map((r) =>
            encodeCursor({ k: r.sort_key, id: String(r.id), asOf, sig: NEED_ORDER }),
          ));
        },
        hasNextPage: needs.length > first,
        hasPreviousPage: cursor !== null,
        totalCount: () => total,
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
