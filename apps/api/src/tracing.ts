import { createRequire } from 'node:module';
import { AppConfig } from '@app/config/config.service';

/**
 * OpenTelemetry tracing, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set, before NestJS, Express,
 * graphql and pg load (instrumentation patches them as they are required). The OpenTelemetry packages
 * are not dependencies of Knooppunt: a deployment that wants traces installs them next to it (see
 * docs/operations.md, "Traces"); unset, nothing of OpenTelemetry is loaded.
 */
export const TRACING_PACKAGES = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-express',
  '@opentelemetry/instrumentation-graphql',
  '@opentelemetry/instrumentation-pg',
];

interface Sdk {
  start(): void;
  shutdown(): Promise<void>;
}
type Constructor<T = unknown> = new (options?: Record<string, unknown>) => T;

export function startTracing(config: AppConfig): Sdk | null {
  const { endpoint, serviceName } = config.tracing;
  if (!endpoint) return null;
  const load = createRequire(__filename);
  let modules: Array<Record<string, Constructor>>;
  try {
    modules = TRACING_PACKAGES.map((name) => load(name) as Record<string, Constructor>);
  } catch {
    throw new Error(
      `OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry packages are not installed: npm install ${TRACING_PACKAGES.join(' ')}`,
    );
  }
  const [sdkNode, exporter, http, express, graphql, pg] = modules;
  const sdk = new (sdkNode.NodeSDK as Constructor<Sdk>)({
    serviceName,
    traceExporter: new exporter.OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [
      new http.HttpInstrumentation({ ignoreIncomingRequestHook: ignoreProbes }),
      new express.ExpressInstrumentation(),
      // Spans name operations, never carry variables or documents with literal values.
      new graphql.GraphQLInstrumentation({
        mergeItems: true,
        allowValues: false,
        ignoreTrivialResolveSpans: true,
      }),
      new pg.PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  return sdk;
}

/** Probes and metric scrapes make no traces. */
function ignoreProbes(request: { url?: string }): boolean {
  return /^\/(health\/|metrics)/.test(request.url ?? '');
}
