import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * An HTTP error outside GraphQL execution (a body over the size limit, malformed JSON) in the GraphQL
 * error shape, so clients handle one format.
 */
export function httpErrorBody(status: number, message: string): object {
  const code = status === 413 ? 'QUERY_TOO_COMPLEX' : status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR';
  return {
    errors: [
      {
        message:
          status === 413 ? 'The request body is larger than the configured limit (HTTP_BODY_LIMIT)' : message,
        extensions: { code, ...(status === 413 ? { measure: 'bodySize' } : {}) },
      },
    ],
  };
}

/** Nest's HTTP exceptions (the body parser's among them) answered with `httpErrorBody`. */
@Catch(HttpException)
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    if (host.getType<string>() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    res.status(status).json(httpErrorBody(status, exception.message));
  }
}
