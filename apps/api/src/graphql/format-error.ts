import { Logger } from '@nestjs/common';
import { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, translateDbError } from '@app/core';

const logger = new Logger('GraphQL');

/** Apollo's own codes that describe the request, not the server; they pass through unchanged. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
]);

/**
 * graphql-js refuses a variable that does not coerce (a malformed Date, a missing required field) with
 * BAD_USER_INPUT and says where only in its message, e.g. `Variable "$input" got invalid value "x" at
 * "input.targetDate"; ...`. Name that place in `fields`, as every other BAD_USER_INPUT does. (String
 * values are printed with escaped quotes, so a quoted path or field name cannot come from the value.)
 */
function variableFields(message: string): Array<{ field: string; message: string }> {
  const variable = /^Variable "\$([^"]+)"/.exec(message);
  if (!variable) return [];
  const at = / at "([^"]+)"; /.exec(message);
  const field = /; Field "([^"]+)" (?:of required type|is not defined)/.exec(message);
  const path = (at ? at[1] : variable[1]).replace(/\[(\d+)\]/g, '.$1');
  const reason = at
    ? message.slice(at.index + at[0].length)
    : field
      ? message.slice(field.index + 2)
      : message;
  return [{ field: field ? `${path}.${field[1]}` : path, message: reason }];
}

/**
 * The one place where errors become what a client sees: domain errors carry their code and details;
 * anything unexpected is logged and, in production, masked without stack trace or SQL.
 */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = translateDbError(unwrapResolverError(error));
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...original.extra },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const extensions: Record<string, unknown> = { ...formatted.extensions };
      if (code === 'BAD_USER_INPUT' && !('fields' in extensions))
        extensions.fields = variableFields(formatted.message);
      if (production) delete extensions.stacktrace;
      return { ...formatted, extensions };
    }
    const message = original instanceof Error ? original.message : String(original);
    logger.error(`unexpected error at ${formatted.path?.join('.') ?? '(request)'}: ${message}`);
    if (production) {
      return {
        message: 'Internal server error',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  };
}
