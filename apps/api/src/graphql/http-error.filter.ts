import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * HTTP errors outside GraphQL execution (a body over the size limit, malformed JSON) answered in the
 * GraphQL error shape, so clients handle one format.
 */
@Catch(HttpException)
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    if (host.getType<string>() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    const code = status === 413 ? 'QUERY_TOO_COMPLEX' : status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR';
    const message =
      status === 413
        ? 'The request body is larger than the configured limit (HTTP_BODY_LIMIT)'
        : exception.message;
    res.status(status).json({
      errors: [{ message, extensions: { code, ...(status === 413 ? { measure: 'bodySize' } : {}) } }],
    });
  }
}
