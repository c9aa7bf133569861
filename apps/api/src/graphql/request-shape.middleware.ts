import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@app/config';

/** The answer (status 400) to a JSON array of `count` operations when batching is off. */
export function batchRefusal(count: number): object {
  return {
    errors: [
      {
        message: 'Batched requests are not accepted: send one operation per request',
        extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'batch', batch: count, limit: 1 },
      },
    ],
  };
}

/** Refuses a JSON array of operations (batching) unless GRAPHQL_BATCHING allows it. */
@Injectable()
export class RequestShapeMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!this.config.graphqlBatching && Array.isArray(req.body)) {
      res.status(400).json(batchRefusal((req.body as unknown[]).length));
      return;
    }
    next();
  }
}
