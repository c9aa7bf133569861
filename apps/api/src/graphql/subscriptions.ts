import { GraphQLSchemaHost, GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  DocumentNode,
  ExecutionArgs,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  OperationTypeNode,
  parse,
  validate,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { AuthService } from '@app/auth';
import { AppConfig } from '@app/config';
import { UnauthenticatedError } from '@app/core';
import { formatError } from './format-error';
import { checkLimits, measure } from './query-limits';
import { RateLimiter } from './rate-limit';

/** The bearer token a graphql-ws client sends in its connection parameters (`Authorization`). */
export function authorizationOf(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const value = connectionParams?.Authorization ?? connectionParams?.authorization;
  return typeof value === 'string' ? value : undefined;
}

/** Nest's type leaves out `onError`, which it passes on to graphql-ws all the same. */
export type GraphQLWsOptions = GraphQLWsSubscriptionsConfig & Pick<ServerOptions, 'onError'>;

function refusal(message: string, code: string, originalError?: Error): GraphQLError {
  return new GraphQLError(message, { originalError, extensions: { code } });
}

/**
 * graphql-ws at /graphql, for subscriptions. Before an operation runs it is refused, as an `error`
 * message with the usual `extensions.code`, when the connection parameters hold no valid token
 * (UNAUTHENTICATED), when it does not parse or validate, when it is not a subscription (queries and
 * mutations go over HTTP, where the request limits and plugins apply: BAD_REQUEST), and when it
 * exceeds the query limits (QUERY_TOO_COMPLEX). Every subscribe counts against the user's rate limit,
 * as an operation over HTTP does (RATE_LIMITED over it); not against the address, which behind a
 * proxy is the proxy's. Every error a client sees goes through formatError, as over HTTP.
 */
export function graphqlWsOptions(
  config: AppConfig,
  auth: AuthService,
  schemaHost: GraphQLSchemaHost,
  limiter: RateLimiter,
): GraphQLWsOptions {
  const format = formatError(config.production);
  const toClient = (error: GraphQLError): GraphQLFormattedError => {
    // A resolver's error wraps the domain error; ours wrap it too, without a path.
    const formatted = format(error.toJSON(), error.originalError ?? error);
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    const message = config.production
      ? formatted.message.replace(/ ?Did you mean .*$/, '')
      : formatted.message;
    return { ...formatted, message, extensions };
  };

  return {
    path: '/graphql',
    onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | GraphQLError[]> => {
      let userId: string;
      try {
        userId = (await auth.authenticate(authorizationOf(ctx.connectionParams))).userId;
      } catch (error) {
        const cause = error instanceof Error ? error : new UnauthenticatedError();
        return [refusal(cause.message, 'UNAUTHENTICATED', cause)];
      }
      if (limiter.enabled) {
        const limited = await limiter.check({ userId });
        if (limited) return [limited];
      }
      const schema = schemaHost.schema;
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [refusal((error as Error).message, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) {
        return invalid.map(
          (e) =>
            new GraphQLError(e.message, {
              nodes: e.nodes,
              source: e.source,
              positions: e.positions,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
        );
      }
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [refusal('Name the operation to run (operationName)', 'BAD_REQUEST')];
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
        return [
          refusal(
            'This WebSocket serves subscriptions; send queries and mutations with POST /graphql',
            'BAD_REQUEST',
          ),
        ];
      }
      const variables = payload.variables ?? {};
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, {
        maxErrors: 50,
      });
      if (coerced.errors) {
        return coerced.errors.map(
          (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }),
        );
      }
      const tooComplex = checkLimits(
        measure(schema, document, payload.operationName, variables),
        config.queryLimits,
      );
      if (tooComplex) return [tooComplex];
      return { schema, document, operationName: payload.operationName, variableValues: variables };
    },
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map(toClient) } : undefined,
    onError: (_ctx, _id, _payload, errors) => errors.map(toClient),
  };
}
