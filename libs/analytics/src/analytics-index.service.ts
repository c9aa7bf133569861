import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OPEN_STATUSES } from '@app/blockers';
import { AuditEventRef, changedIds } from './domain/registry-changes';
import { RegistryIndex, RegistryPatch, RegistryRows } from './domain/registry-index';

/** More events than this since the last catch-up: a rebuild costs less than patching. */
export const MAX_CATCH_UP_EVENTS = 5000;

/** Which rows to read: all of them, or the rows of these ids. */
interface Only {
  blockers: string[];
  needs: string[];
  providers: string[];
  datasets: string[];
}

/**
 * The analytics index of this server instance (ADR 10): the registry in memory, built before the
 * instance reports ready and kept current from the audit chain. `current()` is what a request calls:
 * it reads max(chain_seq) and waits until the index has applied every event up to it, so an answer
 * reflects every change committed before the request began, on whichever instance it was made.
 * Events are applied in chain order, which is commit order (the chain's advisory lock is held to
 * commit); each catch-up reads the events and the rows they name in one REPEATABLE READ snapshot.
 */
@Injectable()
export class AnalyticsIndex implements OnApplicationBootstrap {
  private readonly logger = new Logger('AnalyticsIndex');
  private index: RegistryIndex | null = null;
  /** The last chain_seq the index reflects. */
  private seq = 0;
  private catchingUp: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  get ready(): boolean {
    return this.index !== null;
  }

  /** The index, current up to every event committed before this call. */
  async current(): Promise<RegistryIndex> {
    const [{ seq }] = await this.dataSource.query<Array<{ seq: string }>>(
      'SELECT coalesce(max(chain_seq), 0) AS seq FROM audit_event',
    );
    const target = Number(seq);
    while (this.index === null || this.seq < target) {
      this.catchingUp ??= this.catchUp().finally(() => (this.catchingUp = null));
      await this.catchingUp;
    }
    return this.index;
  }

  /** Load the whole registry afresh (at start, after an unknown action or a large gap). */
  async rebuild(): Promise<void> {
    const started = Date.now();
    const { rows, seq } = await this.snapshot(async (m) => ({
      rows: await readRows(m, null),
      seq: await maxSeq(m),
    }));
    this.index = RegistryIndex.load(rows);
    this.seq = seq;
    const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
    this.logger.log(
      `analytics index built at chain_seq ${seq} in ${Date.now() - started} ms ` +
        `(${rows.blockers.length} blockers, ${rows.needs.length} needs, ${rows.links.length} links; heap ${heap} MB)`,
    );
  }

  private async catchUp(): Promise<void> {
    if (this.index === null) return this.rebuild();
    const from = this.seq;
    const result = await this.snapshot(async (m) => {
      const events = await m.query<Array<AuditEventRef & { chainSeq: string }>>(
        `SELECT chain_seq AS "chainSeq", action, entity_type AS "entityType", entity_id AS "entityId",
                blocker_id AS "blockerId", changes
         FROM audit_event WHERE chain_seq > $1 ORDER BY chain_seq LIMIT $2`,
        [from, MAX_CATCH_UP_EVENTS + 1],
      );
      // Every number after `from` must be there: a hole or too many events means rebuild.
      const contiguous = events.every((e, i) => Number(e.chainSeq) === from + i + 1);
      const ids = contiguous && events.length <= MAX_CATCH_UP_EVENTS ? changedIds(events) : null;
      if (ids === null) return null;
      const only: Only = {
        blockers: [...ids.blockers],
        needs: [...ids.needs],
        providers: [...ids.providers],
        datasets: [...ids.datasets],
      };
      const patch: RegistryPatch = {
        blockerIds: only.blockers,
        needIds: only.needs,
        providerIds: only.providers,
        datasetIds: only.datasets,
        rows: await readRows(m, only),
      };
      return { patch, seq: events.length > 0 ? from + events.length : from };
    });
    if (result === null) {
      this.logger.warn(`rebuilding the analytics index: the audit chain after ${from} cannot be patched in`);
      return this.rebuild();
    }
    // Another catch-up or rebuild cannot have run meanwhile: they are serialised by `catchingUp`.
    this.index.apply(result.patch);
    this.seq = result.seq;
  }

  private snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }
}

async function maxSeq(m: EntityManager): Promise<number> {
  const [{ seq }] = await m.query<Array<{ seq: string }>>(
    'SELECT coalesce(max(chain_seq), 0) AS seq FROM audit_event',
  );
  return Number(seq);
}

/** The rows the index holds: all, or those of the given ids (with every link and edge of a blocker). */
async function readRows(m: EntityManager, only: Only | null): Promise<RegistryRows> {
  const where = (column: string, ids: string[] | undefined, params: unknown[]): string => {
    if (!ids) return '';
    params.push(ids);
    return ` WHERE ${column} = ANY($${params.length}::uuid[])`;
  };
  const read = async <T>(sql: (params: unknown[]) => string, skip: boolean): Promise<T[]> => {
    if (skip) return [];
    const params: unknown[] = [];
    const text = sql(params);
    return m.query<T[]>(text, params);
  };
  const none = (ids: string[] | undefined): boolean => ids !== undefined && ids.length === 0;
  const o = only ?? undefined;
  return {
    providers: await read(
      (p) =>
        `SELECT id, coalesce(abbreviation, name) AS label, name FROM provider${where('id', o?.providers, p)}`,
      none(o?.providers),
    ),
    datasets: await read(
      (p) =>
        `SELECT id, holder_id AS "holderId", coalesce(code, name) AS label FROM dataset${where('id', o?.datasets, p)}`,
      none(o?.datasets),
    ),
    needs: await read(
      (p) =>
        `SELECT id, requester_id AS "requesterId", supplier_id AS "supplierId", dataset_id AS "datasetId",
                state = 'WITHDRAWN' AS withdrawn, annual_cases AS "annualCases",
                (extract(epoch FROM created_at) * 1000000)::float8 AS "createdMicros"
         FROM data_need${where('id', o?.needs, p)}`,
      none(o?.needs),
    ),
    blockers: await read((p) => {
      p.push(OPEN_STATUSES);
      return `SELECT id, number, status = ANY($1::blocker_status[]) AS open, layer, owner_id AS "ownerId",
                     reporting_provider_id AS "reportingProviderId", confidential
              FROM blocker${where('id', o?.blockers, p)}`;
    }, none(o?.blockers)),
    links: await read(
      (p) =>
        `SELECT blocker_id AS "blockerId", need_id AS "needId" FROM blocker_need${where('blocker_id', o?.blockers, p)}`,
      none(o?.blockers),
    ),
    dependencies: await read(
      (p) =>
        `SELECT blocker_id AS "blockerId", depends_on_id AS "dependsOnId" FROM blocker_dependency${
          o ? `${where('blocker_id', o.blockers, p)} OR depends_on_id = ANY($1::uuid[])` : ''
        }`,
      none(o?.blockers),
    ),
    endorsements: await read(
      (p) =>
        `SELECT blocker_id AS "blockerId", provider_id AS "providerId" FROM endorsement${where('blocker_id', o?.blockers, p)}`,
      none(o?.blockers),
    ),
  };
}
