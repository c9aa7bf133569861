import { ApolloDriverConfig } from '@nestjs/apollo';
import { RequestScopes } from '@app/core';
import { MetricsService } from './metrics.service';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * Per operation: names it in the request scope (for the request log), and records its count, latency
 * and the codes of the errors in its response.
 */
export function graphqlMetricsPlugin(metrics: MetricsService): Plugin {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      let operation = metrics.operationLabel(request.operationName);
      let type = 'unknown';
      return {
        async didResolveOperation({ operationName, operation: definition }) {
          operation = metrics.operationLabel(operationName);
          type = definition?.operation ?? 'unknown';
          const scope = RequestScopes.current();
          if (scope) {
            scope.operationName = operationName ?? undefined;
            scope.operationType = type;
          }
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => {
            const code = e.extensions?.code;
            return typeof code === 'string' ? code : 'UNKNOWN';
          });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.recordOperation(operation, type, seconds, codes);
        },
      };
    },
  };
}
