import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '@app/blockers/domain/workflow';

/** The parts of node-postgres's Pool (TypeORM's `driver.master`) that the gauges read. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Operation names are chosen by clients: past this many distinct ones, new names count as `other`. */
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Prometheus metrics of this instance: GraphQL operations (count and latency by name and type),
 * errors by `extensions.code`, the PostgreSQL pool, open blockers by status (one GROUP BY per
 * scrape) and Node's process metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly names = new Set<string>();

  private readonly operations = new Counter({
    name: 'knooppunt_graphql_operations_total',
    help: 'GraphQL operations answered, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: 'knooppunt_graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly errors = new Counter({
    name: 'knooppunt_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = (): PoolCounts | undefined =>
      (this.dataSource.driver as unknown as { master?: PoolCounts }).master;
    const poolGauge = (name: string, help: string, read: (p: PoolCounts) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          if (p) this.set(read(p));
        },
      });
    };
    poolGauge('knooppunt_db_pool_connections', 'Connections in the PostgreSQL pool', (p) => p.totalCount);
    poolGauge(
      'knooppunt_db_pool_idle_connections',
      'Idle connections in the PostgreSQL pool',
      (p) => p.idleCount,
    );
    poolGauge(
      'knooppunt_db_pool_waiting_requests',
      'Queries waiting for a connection from the PostgreSQL pool',
      (p) => p.waitingCount,
    );
    const openBlockers = (): Promise<Array<{ status: string; count: number }>> => this.openBlockers();
    new Gauge({
      name: 'knooppunt_blockers_open',
      help: 'Open blockers by status (confidential ones included; counts only)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { status, count } of await openBlockers()) this.set({ status }, count);
      },
    });
  }

  /** The label for a client's operation name: `anonymous`, the name, or `other` past the limit. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!NAME.test(name)) return 'invalid';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  recordOperation(operation: string, type: string, seconds: number, errorCodes: string[]): void {
    this.operations.inc({ operation, type });
    this.duration.observe({ operation, type }, seconds);
    for (const code of errorCodes) this.errors.inc({ code });
  }

  private async openBlockers(): Promise<Array<{ status: string; count: number }>> {
    const counts = new Map<string, number>(OPEN_STATUSES.map((s) => [s, 0]));
    try {
      const rows: Array<{ status: string; count: string }> = await this.dataSource.query(
        'SELECT status, count(*) AS count FROM blocker WHERE status = ANY($1) GROUP BY status',
        [OPEN_STATUSES],
      );
      for (const row of rows) counts.set(row.status, Number(row.count));
    } catch (error) {
      // The scrape still answers (pool and process metrics matter most while the database is away).
      this.logger.warn(
        `open blockers not counted: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
    return [...counts].map(([status, count]) => ({ status, count }));
  }
}
