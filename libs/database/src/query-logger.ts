import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { RequestScopes } from '@app/core';

/**
 * Counts every statement against the current request (the no-N+1 test and the benchmarks read the
 * count) and logs failures without their parameters, which may hold confidential text.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  constructor(private readonly debug: boolean) {}

  logQuery(query: string): void {
    RequestScopes.countStatement();
    if (this.debug) this.logger.debug(query);
  }

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn(`${message} in: ${query.slice(0, 200)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 200)}`);
  }

  logSchemaBuild(message: string): void {
    if (this.debug) this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else if (this.debug) this.logger.debug(String(message));
  }
}
