import { createRequire } from 'node:module';
import type * as Api from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as ExpressInstrumentation from '@opentelemetry/instrumentation-express';
import type * as GraphQLInstrumentation from '@opentelemetry/instrumentation-graphql';
import type * as HttpInstrumentation from '@opentelemetry/instrumentation-http';
import type * as PgInstrumentation from '@opentelemetry/instrumentation-pg';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceNode from '@opentelemetry/sdk-trace-node';
import { AppConfig } from '@app/config/config.service';

/**
 * OpenTelemetry tracing, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set, before NestJS, Express,
 * graphql and pg load (instrumentation patches them as they are required). The packages are loaded here,
 * on demand: with the variable unset, nothing of OpenTelemetry's SDK is loaded (the imports above are
 * types only).
 */
export interface Tracing {
  /** Export the spans still buffered and stop tracing. */
  shutdown(): Promise<void>;
}

export function startTracing(config: AppConfig): Tracing | null {
  const { endpoint, serviceName } = config.tracing;
  if (!endpoint) return null;
  const load = createRequire(__filename);
  const { SpanKind } = load('@opentelemetry/api') as typeof Api;
  const { NodeTracerProvider, BatchSpanProcessor, ParentBasedSampler, SamplingDecision } = load(
    '@opentelemetry/sdk-trace-node',
  ) as typeof TraceNode;
  const { defaultResource, resourceFromAttributes } = load('@opentelemetry/resources') as typeof Resources;
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  const { registerInstrumentations } = load('@opentelemetry/instrumentation') as typeof Instrumentation;
  const http = load('@opentelemetry/instrumentation-http') as typeof HttpInstrumentation;
  const express = load('@opentelemetry/instrumentation-express') as typeof ExpressInstrumentation;
  const graphql = load('@opentelemetry/instrumentation-graphql') as typeof GraphQLInstrumentation;
  const pg = load('@opentelemetry/instrumentation-pg') as typeof PgInstrumentation;

  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    // A trace starts with an incoming request (or continues the caller's): no traces of their own for
    // the schema's build at startup, background work or outgoing calls made outside a request.
    sampler: new ParentBasedSampler({
      root: {
        shouldSample: (_context, _traceId, _name, kind) => ({
          decision:
            kind === SpanKind.SERVER ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
        }),
        toString: () => 'IncomingRequestSampler',
      },
    }),
    // Batches spans (OTEL_BSP_* tune it) and posts them as OTLP/JSON to <endpoint>/v1/traces.
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })),
    ],
  });
  // Global tracer provider, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation({ ignoreIncomingRequestHook: ignoreProbes }),
      new express.ExpressInstrumentation(),
      // Spans name operations, never carry variables or documents with literal values.
      new graphql.GraphQLInstrumentation({
        mergeItems: true,
        allowValues: false,
        ignoreTrivialResolveSpans: true,
      }),
      // SQL text (with $n placeholders) but never parameter values; no spans outside a request's trace
      // (the readiness probe's query, background work).
      new pg.PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  // NestJS imports Express from an ES module, which the require hooks above do not see; requiring the
  // same Express here first patches the CommonJS module that the import then shares.
  createRequire(load.resolve('@nestjs/platform-express/package.json'))('express');
  return provider;
}

/** Probes and metric scrapes make no traces. */
function ignoreProbes(request: { url?: string }): boolean {
  return /^\/(health\/|metrics)/.test(request.url ?? '');
}
