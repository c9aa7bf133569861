import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { ConflictError, DomainError, ServiceUnavailableError } from './errors';
import { RequestScopes } from './request-context';

interface TxState {
  manager: EntityManager;
  afterCommit: Array<() => void | Promise<void>>;
}

/** PostgreSQL codes worth one more try: serialization failure and deadlock. */
const RETRIABLE = new Set(['40001', '40P01']);
/** Codes that mean the database went away; the request fails cleanly with a retriable code. */
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const MAX_ATTEMPTS = 4;

/** Unique constraints whose violation a client can cause, and the input field at fault. */
const UNIQUE_FIELDS: Record<string, string> = {
  uq_provider_oin: 'oin',
  uq_provider_tooi_uri: 'tooiUri',
  uq_dataset_holder_code: 'code',
  pk_endorsement: 'blockerId',
  pk_blocker_need: 'needId',
  pk_blocker_dependency: 'dependsOnId',
};

function pgCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Translate storage failures into domain errors: a unique value taken is CONFLICT naming the field,
 * a lost connection is SERVICE_UNAVAILABLE. Anything else stays an internal error.
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = pgCode(error);
  if (code === '23505') {
    const constraint = (error as { driverError?: { constraint?: string } }).driverError?.constraint ?? '';
    const field = UNIQUE_FIELDS[constraint];
    return new ConflictError(field ? `${field} is already taken` : 'A unique value is already taken', {
      fields: field ? [{ field: `input.${field}`, message: 'already taken' }] : [],
    });
  }
  if (code && UNAVAILABLE.has(code)) return new ServiceUnavailableError();
  // TypeORM releases a transaction's connection as soon as the driver reports it broken (PostgreSQL
  // went away mid-transaction); the transaction's next statement then finds it released.
  if (
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError
  )
    return new ServiceUnavailableError();
  const message = error instanceof Error ? error.message : '';
  if (
    !(error instanceof QueryFailedError) &&
    /ECONNREFUSED|ECONNRESET|Connection terminated|connect ETIMEDOUT|the database system is|timeout exceeded when trying to connect|is not queryable/i.test(
      message,
    )
  ) {
    return new ServiceUnavailableError();
  }
  return error;
}

/** The driver's client as `prepared` uses it (pg: a named statement is prepared once per connection). */
interface PreparingClient {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** One name per statement text, the same on every connection. */
const preparedNames = new Map<string, string>();

/**
 * A SQL expression that makes PostgreSQL plan every statement after the one evaluating it, to the end
 * of the transaction, with a generic plan (`plan_cache_mode`, transaction-local): `prepared`
 * statements are then planned once per connection instead of for every execution. For a write path
 * whose statements after it all plan alike whatever their values (ADR 14); a statement whose best plan
 * depends on its values must run before it.
 */
export const GENERIC_PLANS_FROM_HERE = `set_config('plan_cache_mode', 'force_generic_plan', true)`;

/**
 * One transaction per mutation. Services ask for `manager` and get the transaction's when one is
 * running, so nested service calls share it. Callbacks registered with `afterCommit` run only once
 * the transaction has committed (events are published there, never before). The request's
 * `transactionGuard`, when it has one, runs first in each transaction (idempotency keys).
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);
  private readonly storage = new AsyncLocalStorage<TxState>();

  constructor(private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    for (let attempt = 1; ; attempt++) {
      const afterCommit: TxState['afterCommit'] = [];
      try {
        const result = await this.dataSource.transaction(async (manager) => {
          await RequestScopes.current()?.transactionGuard?.(manager);
          return this.storage.run({ manager, afterCommit }, work);
        });
        for (const callback of afterCommit) {
          try {
            await callback();
          } catch (error) {
            this.logger.error(`after-commit callback failed: ${(error as Error).message}`);
          }
        }
        return result;
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && RETRIABLE.has(pgCode(error) ?? '')) continue;
        throw translateDbError(error);
      }
    }
  }

  /**
   * Run a fixed statement of a hot path as a prepared statement: on the transaction's connection, or
   * outside a transaction on whichever pooled connection is free. The driver prepares it once per
   * connection, so PostgreSQL parses it once and, when a generic plan does as well as the first few,
   * plans it once too (ADR 14, 15). Counted and logged like every statement. Only for statements whose
   * text does not vary with their values, and whose best plan does not either.
   */
  async prepared<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const state = this.storage.getStore();
    let client: PreparingClient | undefined;
    if (state) {
      const runner = state.manager.queryRunner as
        { databaseConnection?: PreparingClient; isReleased: boolean } | undefined;
      // A runner TypeORM released (its connection broke) refuses the query as for any other statement.
      if (!runner?.databaseConnection || runner.isReleased) return this.manager.query(sql, [...params]);
      client = runner.databaseConnection;
    } else {
      client = (this.dataSource.driver as unknown as { master: PreparingClient }).master;
    }
    let name = preparedNames.get(sql);
    if (name === undefined) {
      name = `knooppunt_${preparedNames.size + 1}`;
      preparedNames.set(sql, name);
    }
    // Through the data source's logger, as TypeORM's own queries: counted, and logged when they fail.
    const logger = this.dataSource.logger;
    logger.logQuery(sql);
    try {
      return (await client.query({ name, text: sql, values: params })).rows as T[];
    } catch (error) {
      logger.logQueryError(error as Error, sql);
      throw error;
    }
  }

  /** Run after the current transaction commits; at once when there is none. */
  afterCommit(callback: () => void | Promise<void>): void {
    const state = this.storage.getStore();
    if (state) state.afterCommit.push(callback);
    else void Promise.resolve().then(callback);
  }
}
