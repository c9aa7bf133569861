/**
 * OpenTelemetry tracing: with OTEL_EXPORTER_OTLP_ENDPOINT set, the server exports OTLP/HTTP (JSON) spans
 * to <endpoint>/v1/traces: one trace per GraphQL request with the HTTP server span, the GraphQL
 * operation and the pg queries, without variables, literal values or SQL parameters; probes make no
 * spans. Unset, nothing is sent and the OpenTelemetry SDK is not even loaded.
 */
import { spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { needIds } from './support/demo';
import { MAIN, ROOT, TestServer, token } from './support/server';

/** OTLP/JSON as the exporter posts it (only the fields the assertions read). */
interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: OtlpSpan[] }>;
  }>;
}
interface Received {
  span: OtlpSpan;
  scope: string;
  service?: string;
}

const SPAN_KIND_SERVER = 2;

/** A minimal OTLP/HTTP trace receiver: keeps every request body posted to /v1/traces. */
class Receiver {
  readonly bodies: string[] = [];
  readonly contentTypes: string[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const receiver: Receiver = new Receiver(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          if (req.method === 'POST' && req.url === '/v1/traces') {
            receiver.bodies.push(Buffer.concat(chunks).toString('utf8'));
            receiver.contentTypes.push(String(req.headers['content-type']));
            res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          } else {
            res.writeHead(404).end();
          }
        });
      }),
    );
    await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get spans(): Received[] {
    return this.bodies.flatMap((body) =>
      ((JSON.parse(body) as ExportRequest).resourceSpans ?? []).flatMap((rs) => {
        const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
        return (rs.scopeSpans ?? []).flatMap((ss) =>
          (ss.spans ?? []).map((span) => ({ span, scope: ss.scope?.name ?? '', service })),
        );
      }),
    );
  }

  /** Wait until some exported span satisfies the predicate. */
  async waitFor(predicate: (r: Received) => boolean, what: string): Promise<Received> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const found = this.spans.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no ${what} was exported; got: ${this.spans.map((r) => r.span.name).join(', ')}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

const attr = (span: OtlpSpan, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const value = span.attributes?.find((a) => a.key === key)?.value;
    if (value) return String(value.stringValue ?? value.intValue ?? value.boolValue);
  }
  return undefined;
};
const SQL_KEYS = ['db.query.text', 'db.statement'];
const isPgQuery = (r: Received): boolean =>
  r.scope.includes('instrumentation-pg') && attr(r.span, ...SQL_KEYS) !== undefined;

/** Marker values that must reach the database but never a span. */
const SECRET_TITLE = 'Tracing marker title 4f1c9e';
const SECRET_DESCRIPTION = 'Tracing marker description 7d02ab';
const LITERAL_KEY = 'KNP-QZ4711';

const QUERY = `query TraceLookup { blocker(key: "${LITERAL_KEY}") { id } viewer { subject } }`;
const MUTATION = `mutation TraceReport($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key } } }`;

describe('tracing', () => {
  const admin = token('ADMIN');

  describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    let receiver: Receiver;
    let server: TestServer;

    beforeAll(async () => {
      receiver = await Receiver.start();
      server = await TestServer.start({
        demo: true,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_SERVICE_NAME: 'knooppunt-trace-test',
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
      });
    });
    afterAll(async () => {
      await server?.stop();
      await receiver?.stop();
    });

    /** The spans of the trace whose GraphQL span names the operation. */
    async function traceOf(operation: string): Promise<Received[]> {
      const graphql = await receiver.waitFor(
        (r) => r.scope.includes('instrumentation-graphql') && r.span.name.includes(operation),
        `GraphQL span for ${operation}`,
      );
      const { traceId } = graphql.span;
      // The HTTP server span ends last, after the GraphQL and pg spans of its request.
      await receiver.waitFor(
        (r) => r.span.traceId === traceId && r.span.kind === SPAN_KIND_SERVER,
        `HTTP server span for ${operation}`,
      );
      return receiver.spans.filter((r) => r.span.traceId === traceId);
    }

    function expectOneRequestTrace(trace: Received[], operation: string, type: string): void {
      const servers = trace.filter((r) => r.span.kind === SPAN_KIND_SERVER);
      expect(servers).toHaveLength(1);
      const root = servers[0].span;
      expect(root.parentSpanId ?? '').toBe('');
      // Express names the route.
      expect(root.name).toBe('POST /graphql');
      expect(attr(root, 'http.route')).toBe('/graphql');
      expect(trace.some((r) => r.scope.includes('instrumentation-express'))).toBe(true);
      expect(attr(root, 'http.request.method', 'http.method')).toBe('POST');
      expect(attr(root, 'url.path', 'http.target')).toBe('/graphql');
      expect(servers[0].service).toBe('knooppunt-trace-test');

      const graphql = trace.filter((r) => r.scope.includes('instrumentation-graphql'));
      const operationSpan = graphql.find((r) => attr(r.span, 'graphql.operation.name') === operation);
      expect(operationSpan).toBeDefined();
      expect(operationSpan!.span.name).toBe(`${type} ${operation}`);
      expect(attr(operationSpan!.span, 'graphql.operation.type')).toBe(type);
      expect(attr(operationSpan!.span, 'graphql.source')).toContain(operation);

      const queries = trace.filter(isPgQuery);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect(attr(q.span, 'db.system.name', 'db.system')).toMatch(/^postgres/);
        expect(attr(q.span, ...SQL_KEYS)).toMatch(/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|START|COMMIT|SET)/i);
        expect(q.span.attributes?.some((a) => a.key.startsWith('db.query.parameter'))).toBe(false);
        expect(attr(q.span, 'db.postgresql.values')).toBeUndefined();
      }
      // Every span of the request hangs off that one server span.
      const ids = new Set(trace.map((r) => r.span.spanId));
      for (const r of trace) if (r !== servers[0]) expect(ids.has(r.span.parentSpanId!)).toBe(true);
    }

    it('exports a query as one trace: HTTP server span, GraphQL operation, pg queries', async () => {
      await server.ok(QUERY, {}, admin);
      const trace = await traceOf('TraceLookup');
      expectOneRequestTrace(trace, 'TraceLookup', 'query');
      // The literal in the document is masked in the GraphQL spans and absent from the SQL.
      const operation = trace.find((r) => attr(r.span, 'graphql.operation.name') === 'TraceLookup')!;
      expect(attr(operation.span, 'graphql.source')).toContain('blocker(key: "*")');
      expect(JSON.stringify(trace)).not.toContain(LITERAL_KEY.slice(4));
      expect(receiver.contentTypes[0]).toMatch(/^application\/json/);
    });

    it('exports a mutation as one trace, without its variables or the SQL parameters', async () => {
      const N = await needIds(server, admin);
      await server.ok(
        MUTATION,
        {
          input: {
            title: SECRET_TITLE,
            description: SECRET_DESCRIPTION,
            type: 'NO_INTERFACE',
            severity: 'LOW',
            affectedNeedIds: [N.N1],
          },
        },
        admin,
      );
      // The values did reach the database, through the traced queries.
      const { rows } = await server.db.query('SELECT count(*)::int AS n FROM blocker WHERE title = $1', [
        SECRET_TITLE,
      ]);
      expect(rows[0].n).toBe(1);

      const trace = await traceOf('TraceReport');
      expectOneRequestTrace(trace, 'TraceReport', 'mutation');
      // The report's statements are in it, the prepared ones too (the blocker's insert, and the audit
      // event written with the scores).
      const sql = trace.map((r) => attr(r.span, ...SQL_KEYS) ?? '');
      expect(sql.some((text) => /\bINSERT INTO blocker\b/i.test(text))).toBe(true);
      expect(sql.some((text) => /\bINSERT INTO audit_event\b/i.test(text))).toBe(true);
      for (const body of receiver.bodies) {
        expect(body).not.toContain(SECRET_TITLE);
        expect(body).not.toContain(SECRET_DESCRIPTION);
        expect(body).not.toContain(admin);
      }
    });

    it('makes no spans for probes and metric scrapes', async () => {
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      await fetch(`${server.url}/metrics`);
      // A request after the probes: once its spans are in, the probes' would be too.
      await server.ok('query TraceAfterProbes { viewer { subject } }', {}, admin);
      await traceOf('TraceAfterProbes');
      const paths = receiver.spans
        .filter((r) => r.span.kind === SPAN_KIND_SERVER)
        .map((r) => attr(r.span, 'url.path', 'http.target'));
      expect(paths).toContain('/graphql');
      expect(paths.filter((p) => /^\/(health|metrics)/.test(p ?? ''))).toEqual([]);
      // Nor any span outside a request trace (the readiness probe queries the database).
      const strays = receiver.spans.filter((r) => !r.span.parentSpanId && r.span.kind !== SPAN_KIND_SERVER);
      expect(strays.map((r) => `${r.scope}: ${r.span.name}`)).toEqual([]);
    });
  });

  it('sends the spans still buffered when the server shuts down', async () => {
    const receiver = await Receiver.start();
    const server = await TestServer.start({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '600000' },
    });
    let stopped = false;
    try {
      await server.ok('query TraceAtShutdown { viewer { subject } }', {}, admin);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.bodies).toEqual([]);
      stopped = true;
      await server.stop();
      await receiver.waitFor((r) => r.span.name === 'query TraceAtShutdown', 'span sent at shutdown');
    } finally {
      if (!stopped) await server.stop();
      await receiver.stop();
    }
  });

  describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    it('sends no trace', async () => {
      const receiver = await Receiver.start();
      // Variables the OpenTelemetry SDK itself would read, were it running: it must not be.
      const server = await TestServer.start({
        env: {
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
      });
      try {
        await server.ok('query TraceOff { viewer { subject } }', {}, admin);
        await server.ok('query TraceOffAgain { viewer { subject } }', {}, admin);
        await new Promise((r) => setTimeout(r, 1000));
        expect(receiver.bodies).toEqual([]);
      } finally {
        await server.stop();
        await receiver.stop();
      }
    });

    it('loads nothing of the OpenTelemetry SDK, which it does load when the variable is set', () => {
      const loaded = (endpoint: string | undefined): string[] => {
        const script = `
          const { startTracing } = require(${JSON.stringify(MAIN.replace(/main\.js$/, 'tracing.js'))});
          startTracing({ tracing: { endpoint: ${JSON.stringify(endpoint)}, serviceName: 'x' } });
          const names = Object.keys(require.cache)
            .map((f) => /node_modules[\\\\/](@opentelemetry[\\\\/][^\\\\/]+)/.exec(f)?.[1])
            .filter(Boolean);
          console.log(JSON.stringify([...new Set(names)]));
          process.exit(0);`;
        const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
        expect(run.stderr).toBe('');
        return JSON.parse(run.stdout) as string[];
      };
      expect(loaded(undefined)).toEqual([]);
      expect(loaded('http://127.0.0.1:9')).toEqual(
        expect.arrayContaining(['@opentelemetry/sdk-trace-node', '@opentelemetry/instrumentation-pg']),
      );
    });
  });
});
