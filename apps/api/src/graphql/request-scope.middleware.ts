import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestScopes } from '@app/core';

/** Opens the per-request scope (request id, SQL statement count) around everything a request does. */
@Injectable()
export class RequestScopeMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w-]{1,100}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    RequestScopes.run({ requestId, sqlStatements: 0 }, next);
  }
}
