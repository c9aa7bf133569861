import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestScopes } from '@app/core';

/** The client's X-Request-ID when it is a plain token of up to 100 characters, else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w-]{1,100}$/.test(header) ? header : randomUUID();
}

/** Opens the per-request scope (request id, SQL statement count) around everything a request does. */
@Injectable()
export class RequestScopeMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    RequestScopes.run({ requestId, sqlStatements: 0 }, next);
  }
}
