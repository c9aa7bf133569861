import { randomUUID } from 'node:crypto';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request } from 'express';
import { AppConfig } from '@app/config';
import { AuthService } from '@app/auth';
import { Actor, IdempotencyStore, RequestScopes, UnauthenticatedError } from '@app/core';
import { GqlContext, LoaderRegistry } from '@app/core/graphql';
import { explorerPlugin } from '../explorer/explorer';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.plugin';
import { MetricsService } from '../observability/metrics.service';
import { formatError } from './format-error';
import { idempotencyPlugin } from './idempotency.plugin';
import { checkLimits, measureOnce, QueryLimits } from './query-limits';
import { RateLimiter, rateLimitPlugin } from './rate-limit';
import { requestPlugins } from './request-plugins';
import { authorizationOf, graphqlWsOptions } from './subscriptions';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** Adds `extensions.queryStats.sqlStatements` to each response when configured (tests, benchmarks). */
const queryStatsPlugin: Plugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const scope = RequestScopes.current();
        if (scope && response.body.kind === 'single') {
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            queryStats: { sqlStatements: scope.sqlStatements },
          };
        }
      },
    };
  },
};

/** Refuses operations over the configured depth, alias, root-field or cost limits before they run. */
function queryLimitsPlugin(limits: QueryLimits): Plugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const error = checkLimits(
            measureOnce(schema, document, operationName, request.variables ?? {}),
            limits,
          );
          if (error) throw error;
        },
      };
    },
  };
}

export function graphqlOptions(
  config: AppConfig,
  auth: AuthService,
  schemaHost: GraphQLSchemaHost,
  metrics: MetricsService,
  rateLimiter: RateLimiter,
  idempotency: IdempotencyStore,
): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    introspection: config.introspection,
    allowBatchedHttpRequests: config.graphqlBatching,
    playground: false,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    formatError: formatError(config.production),
    plugins: [
      // No cache hints are given and no response is cached; Apollo's cache-control plugin, on by default,
      // would wrap every field resolver to collect hints, the only plugin that looks at fields.
      ApolloServerPluginCacheControlDisabled() as Plugin,
      // Apollo's trace for a federation gateway; this server is no subgraph.
      ApolloServerPluginInlineTraceDisabled() as Plugin,
      // Each stage in this order: the operation is named and timed first, and refused for its size
      // before it counts against the rate limit.
      requestPlugins([
        graphqlMetricsPlugin(metrics),
        queryLimitsPlugin(config.queryLimits),
        rateLimitPlugin(rateLimiter),
        idempotencyPlugin(idempotency),
        ...(config.exposeQueryStats ? [queryStatsPlugin] : []),
      ]),
      ...(config.explorerEnabled ? [explorerPlugin()] : []),
    ],
    subscriptions: { 'graphql-ws': graphqlWsOptions(config, auth, schemaHost, rateLimiter) },
    context: async ({
      req,
      connectionParams,
    }: {
      req?: Request;
      connectionParams?: Record<string, unknown>;
    }): Promise<GqlContext> => {
      let actor: Actor | null = null;
      let authError: Error | null = null;
      // HTTP sends the token as a header; graphql-ws sends it in the connection parameters.
      const authorization = req?.headers.authorization ?? authorizationOf(connectionParams);
      try {
        actor = await auth.authenticate(authorization);
      } catch (error) {
        authError = error instanceof Error ? error : new UnauthenticatedError();
      }
      const header = req?.headers['idempotency-key'];
      const scope = RequestScopes.current();
      if (scope && actor) scope.subject = actor.subject;
      return {
        actor,
        authError,
        loaders: new LoaderRegistry(),
        requestId: scope?.requestId ?? randomUUID(),
        idempotencyKey: typeof header === 'string' ? header : undefined,
        clientIp: req?.ip ?? req?.socket.remoteAddress,
      };
    },
  };
}
