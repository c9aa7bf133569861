import { createHash } from 'node:crypto';
import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Actor, BadUserInputError, KeysetOrder } from '@app/core';
import { PriorityLevel, BlockerLayer, BlockerType, Severity } from './domain/taxonomy';
import { BlockerStatus, OPEN_STATUSES } from './domain/workflow';
import { visibleSql } from './blocker-visibility';
import { BlockerEntity } from './entities/blocker.entity';

export interface BlockerFilterValues {
  status?: BlockerStatus[] | null;
  open?: boolean | null;
  layer?: BlockerLayer[] | null;
  type?: BlockerType[] | null;
  severity?: Severity[] | null;
  providerId?: string | null;
  ownerId?: string | null;
  datasetId?: string | null;
  level?: PriorityLevel[] | null;
  search?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  staleForDays?: number | null;
}

export enum BlockerOrderField {
  PRIORITY = 'PRIORITY',
  RANK = 'RANK',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  SEVERITY = 'SEVERITY',
  DAYS_OPEN = 'DAYS_OPEN',
  ENDORSEMENTS = 'ENDORSEMENTS',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

const SEVERITY_RANK = `(CASE b.severity WHEN 'CRITICAL' THEN 4 WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END)`;

/** Sort keys: NOT NULL expressions, so keyset comparison works; :asOf is the walk's reference time. */
const ORDER_KEYS: Record<BlockerOrderField, { expr: string; type: string }> = {
  PRIORITY: { expr: 'b.priority_score', type: 'float8' },
  RANK: { expr: 'COALESCE(b.priority_rank, 2147483647)', type: 'int' },
  CREATED_AT: { expr: 'b.created_at', type: 'timestamptz' },
  UPDATED_AT: { expr: 'b.updated_at', type: 'timestamptz' },
  SEVERITY: { expr: SEVERITY_RANK, type: 'int' },
  DAYS_OPEN: {
    expr: `(COALESCE(b.closed_at, CAST(:asOf AS timestamptz)) - b.created_at)`,
    type: 'interval',
  },
  ENDORSEMENTS: { expr: 'b.endorsement_count', type: 'int' },
};

export function blockerOrder(field: BlockerOrderField, direction: SortDirection): KeysetOrder {
  const key = ORDER_KEYS[field];
  return { expr: key.expr, type: key.type, direction, name: `${field}:${direction}` };
}

export const OPEN_STATUS_LIST = OPEN_STATUSES as BlockerStatus[];

/**
 * The search text as a tsquery (websearch syntax: words, "phrases", -not, or): its Dutch, English and
 * literal readings, any of which may match. The literal one finds keys (KNP-12) and article numbers.
 *
 * A scalar sub-select, so PostgreSQL parses the text once per statement (an InitPlan) whichever plan it
 * picks, never once per row; and the match is always read from the GIN index ix_blocker_search: the
 * planner cannot see the query's words, so it estimates few matches, and a bitmap scan reads no more
 * pages than a scan of the (wide) table would even when many match.
 */
const SEARCH_QUERY = `(SELECT websearch_to_tsquery('dutch', CAST(:search AS text))
  || websearch_to_tsquery('english', CAST(:search AS text))
  || websearch_to_tsquery('simple', CAST(:search AS text)))`;

export const MAX_SEARCH_LENGTH = 200;

/** The search text a filter holds, or null when it holds none worth searching for (blank). */
export function searchText(filter: BlockerFilterValues): string | null {
  const text = filter.search?.trim();
  if (text && text.length > MAX_SEARCH_LENGTH)
    throw BadUserInputError.field('filter.search', `must be at most ${MAX_SEARCH_LENGTH} characters`);
  return text ? text : null;
}

/**
 * Best match first: the rank of the blocker's search document for the filter's search text, then id,
 * so that ties keep one order across pages. The cursor is bound to the text searched for.
 */
export function searchRankOrder(search: string): KeysetOrder {
  const digest = createHash('sha256').update(search).digest('base64url').slice(0, 16);
  return {
    expr: `CAST(ts_rank(b.search_vector, ${SEARCH_QUERY}) AS float8)`,
    type: 'float8',
    direction: 'DESC',
    name: `SEARCH:${digest}`,
  };
}

/** The blockers this actor may see, narrowed by a filter. */
export function blockerQuery(
  manager: EntityManager,
  actor: Actor,
  filter: BlockerFilterValues = {},
): SelectQueryBuilder<BlockerEntity> {
  const qb = manager.getRepository(BlockerEntity).createQueryBuilder('b');
  const visible = visibleSql(actor, 'b');
  qb.where(visible.sql, visible.params);
  if (filter.status?.length) qb.andWhere('b.status IN (:...status)', { status: filter.status });
  if (filter.open === true) qb.andWhere('b.status IN (:...openStatuses)', { openStatuses: OPEN_STATUS_LIST });
  if (filter.open === false)
    qb.andWhere('b.status NOT IN (:...openStatuses)', { openStatuses: OPEN_STATUS_LIST });
  if (filter.layer?.length) qb.andWhere('b.layer IN (:...layers)', { layers: filter.layer });
  if (filter.type?.length) qb.andWhere('b.type IN (:...types)', { types: filter.type });
  if (filter.severity?.length) qb.andWhere('b.severity IN (:...severities)', { severities: filter.severity });
  if (filter.level?.length) qb.andWhere('b.priority_level IN (:...levels)', { levels: filter.level });
  if (filter.ownerId) qb.andWhere('b.owner_id = :ownerId', { ownerId: filter.ownerId });
  if (filter.providerId) {
    qb.andWhere(
      new Brackets((w) =>
        w
          .where('b.reporting_provider_id = :fp', { fp: filter.providerId })
          .orWhere('b.owner_id = :fp')
          .orWhere(
            'EXISTS (SELECT 1 FROM endorsement fe WHERE fe.blocker_id = b.id AND fe.provider_id = :fp)',
          )
          .orWhere(
            `EXISTS (SELECT 1 FROM blocker_need fbn JOIN data_need fn ON fn.id = fbn.need_id
                     WHERE fbn.blocker_id = b.id AND (fn.requester_id = :fp OR fn.supplier_id = :fp))`,
          ),
      ),
    );
  }
  if (filter.datasetId) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM blocker_need dbn JOIN data_need dn ON dn.id = dbn.need_id
               WHERE dbn.blocker_id = b.id AND dn.dataset_id = :datasetId)`,
      { datasetId: filter.datasetId },
    );
  }
  if (filter.createdAfter)
    qb.andWhere('b.created_at >= :createdAfter', { createdAfter: filter.createdAfter });
  if (filter.createdBefore)
    qb.andWhere('b.created_at < :createdBefore', { createdBefore: filter.createdBefore });
  const search = searchText(filter);
  if (search !== null) qb.andWhere(`b.search_vector @@ ${SEARCH_QUERY}`, { search });
  if (filter.staleForDays !== undefined && filter.staleForDays !== null) {
    qb.andWhere('b.status IN (:...openStatuses)', { openStatuses: OPEN_STATUS_LIST }).andWhere(
      `b.status_changed_at <= CAST(:asOf AS timestamptz) - make_interval(days => :staleDays)`,
      { staleDays: filter.staleForDays },
    );
  }
  return qb;
}
