import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestScope, RequestScopes } from '@app/core';
import { ROOT_LOGGER } from './observability.tokens';
import type { RootLogger } from './logger';

/** Probes and scrapes: logged at debug, so that they do not drown the requests of people. */
const QUIET_PATHS = /^\/(health\/|metrics$)/;

/**
 * One line per HTTP request once its response is sent: request id, method, path (never the query
 * string, which for GET /graphql holds the query and its variables), status, duration, and for GraphQL
 * the token's subject and the operation's name and type. Never bodies, variables or headers.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  private readonly logger: RootLogger;

  constructor(@Inject(ROOT_LOGGER) root: RootLogger) {
    this.logger = root.child({ context: 'HTTP' });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.track(req, res, req.originalUrl.split('?')[0], RequestScopes.current());
    next();
  }

  /** Log the request at `path` once its response is sent (also for the GraphQL endpoint's own POSTs). */
  track(req: IncomingMessage, res: ServerResponse, path: string, scope: RequestScope | undefined): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const level = res.statusCode >= 500 ? 'warn' : QUIET_PATHS.test(path) ? 'debug' : 'info';
      // Below LOG_LEVEL (e.g. info lines at warn): nothing to build.
      if (!this.logger.isLevelEnabled(level)) return;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      this.logger[level](
        {
          requestId: scope?.requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs,
          subject: scope?.subject,
          operationName: scope?.operationName,
          operationType: scope?.operationType,
        },
        'request completed',
      );
    });
  }
}
