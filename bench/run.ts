/**
 * `npm run bench`: seeds (or reuses) the national-scale synthetic registry, starts the built server
 * production-like, loads each scenario over loopback with autocannon next to the baselines, and writes
 * bench/results/latest.json, latest.md and a dated copy. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { timeInProcess } from './baselines/list-sql';
import {
  LIST_MAX_RATIO,
  LIST_QUERY,
  LIST_TARGET_P95_MS,
  LOOKUP_MIN_RATIO,
  LOOKUP_QUERY,
  queryScenarios,
  QueryScenario,
  REPORT_MIN_RPS,
  REPORT_MUTATION,
  reportInput,
  Role,
} from './scenarios';
import { GraphQLBody, LoadFigures, once, runLoad } from './support/load';
import { BenchOptions, parseOptions } from './support/options';
import { DatabaseMonitor } from './support/monitor';
import { ServerProcess } from './support/processes';
import { pickParameters, postgresVersion, prepareRegistry, registryCounts, ROOT } from './support/registry';
import { BenchResults, machineInfo, ScenarioResult, TargetResult, writeResults } from './support/report';

/** The server as `npm run bench` builds it, out of reach of concurrent `npm run build`s (package.json). */
const SERVER_MAIN = resolve(ROOT, '.data/bench-dist/apps/api/src/main.js');
const SECRET = 'knooppunt-bench-secret-0123456789abcdef';
const DB_POOL_SIZE = 10;
/** Write-then-read rounds of the after-write scenario. */
const AFTER_WRITE_ROUNDS = 10;
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
/** application_name of each server's database connections (Knooppunt's default, the baselines' own). */
const KNOOPPUNT_APP = 'knooppunt';
const LIST_SQL_APP = 'knooppunt-bench-sql';
const APOLLO_APP = 'knooppunt-bench-apollo';
/** Fewest requests a scenario's percentiles rest on. */
const MIN_SAMPLES = 10;

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

function bearer(role: Role): Record<string, string> {
  const token = jwt.sign(
    { sub: `bench-${role.toLowerCase()}`, name: `Bench ${role}`, roles: [role] },
    SECRET,
    {
      algorithm: 'HS256',
      expiresIn: 6 * 3600,
    },
  );
  return { authorization: `Bearer ${token}` };
}

/** What every server under test gets: the same database, pool size and token secret. */
function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: SECRET,
    DB_POOL_SIZE: String(DB_POOL_SIZE),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
}

async function startKnooppunt(databaseUrl: string): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) {
    throw new Error(
      `no build at ${SERVER_MAIN}: run the bench through \`npm run bench\`, which builds first`,
    );
  }
  return ServerProcess.start(
    'knooppunt',
    [SERVER_MAIN],
    // One client address sending thousands of requests a second is the point here, not an abuse.
    {
      ...serverEnv(databaseUrl),
      EXPOSE_QUERY_STATS: 'true',
      DEMO_DATA: 'false',
      RATE_LIMIT_ENABLED: 'false',
    },
    '/health/ready',
    ROOT,
  );
}

async function startBaseline(name: string, file: string, databaseUrl: string): Promise<ServerProcess> {
  return ServerProcess.start(name, [...TS_NODE, file], serverEnv(databaseUrl), '/health/ready', ROOT);
}

interface Measurement {
  server: ServerProcess;
  /** application_name of the server's database connections. */
  appName: string;
  name: string;
  description: string;
  client: string;
  headers: Record<string, string>;
  body: GraphQLBody | ((n: number) => GraphQLBody);
  connections: number;
  checkEveryBody?: boolean;
}

class Bench {
  readonly scenarios: ScenarioResult[] = [];

  constructor(
    private readonly options: BenchOptions,
    private readonly monitor: DatabaseMonitor,
  ) {}

  selected(name: string): boolean {
    return this.options.only.length === 0 || this.options.only.includes(name);
  }

  /**
   * One scenario: a first request for its SQL statement count (and to see that it works), a short
   * warm-up, then `duration` seconds of load; before each, the server finishes what it was doing.
   */
  async measure(m: Measurement): Promise<ScenarioResult> {
    const { server, appName, name, headers, body, connections } = m;
    await this.monitor.settle(appName, server.pid);
    const first = await once(server.url, headers, typeof body === 'function' ? body(0) : body);
    if (first.errors.length > 0) log(`${name}: the first answer has errors: ${first.errors[0]}`);
    log(
      `${name}: first answer ${first.ms} ms, ${first.bytes} bytes, ` +
        `${first.sqlStatements ?? '?'} SQL statements`,
    );
    const next = typeof body === 'function' ? (n: number) => body(n + 1) : body;
    if (first.ms < 1000) {
      const warmUp = Math.max(1, Math.min(3, Math.round(this.options.duration / 4)));
      await runLoad({ url: server.url, headers, body: next, connections, seconds: warmUp });
      await this.monitor.settle(appName, server.pid);
    }
    const load = (offset: number, amount?: number): Promise<LoadFigures> =>
      runLoad({
        url: server.url,
        headers,
        body: typeof body === 'function' ? (n: number) => body(n + offset) : body,
        connections,
        seconds: this.options.duration,
        ...(amount !== undefined ? { amount } : {}),
        checkEveryBody: m.checkEveryBody,
        serverPid: server.pid,
        databaseCpu: () => this.monitor.cpuByBackend(appName),
      });
    let figures = await load(1_000_000);
    // Too slow for MIN_SAMPLES answers in the duration (answers still in flight at its end are not
    // counted): measure a fixed number of requests instead, however long they take.
    if (figures.requests < MIN_SAMPLES) {
      log(
        `${name}: ${figures.requests} answers in ${this.options.duration} s; sending a fixed number instead`,
      );
      await this.monitor.settle(appName, server.pid);
      figures = await load(2_000_000, Math.max(MIN_SAMPLES, 2 * connections));
    }
    const settled = await this.monitor.settle(appName, server.pid);
    const result: ScenarioResult = {
      name,
      description: m.description,
      client: m.client,
      ...figures,
      sqlStatements: first.sqlStatements,
      responseBytes: first.bytes,
      firstAnswerMs: first.ms,
      settleSeconds: settled,
    };
    if (m.checkEveryBody) {
      const ok = figures.requests - figures.graphqlErrors;
      result.successesPerSecond = Math.round((ok / figures.seconds) * 10) / 10;
    }
    log(
      `${name}: ${figures.requests} requests, ${figures.requestsPerSecond} req/s, ` +
        `p50 ${figures.latencyMs.p50} ms, p95 ${figures.latencyMs.p95} ms, ` +
        `CPU ms/req ${figures.serverCpuMsPerRequest} + ${figures.databaseCpuMsPerRequest} (db), ` +
        `errors ${figures.errors + figures.non2xx}/${figures.graphqlErrors}, ` +
        `load ${figures.loadAverage.after}`,
    );
    this.scenarios.push(result);
    return result;
  }

  async query(server: ServerProcess, s: QueryScenario, connections: number): Promise<ScenarioResult | null> {
    if (!this.selected(s.name)) return null;
    return this.measure({
      server,
      appName: KNOOPPUNT_APP,
      name: s.name,
      description: s.description,
      client: s.role,
      headers: bearer(s.role),
      body: { query: s.query, variables: s.variables },
      connections,
    });
  }
}

/** Server CPU per request, node and database together, when both were measured. */
function cpuPerRequest(s: ScenarioResult | undefined): number | undefined {
  if (!s || s.serverCpuMsPerRequest === null || s.databaseCpuMsPerRequest === null) return undefined;
  return s.serverCpuMsPerRequest + s.databaseCpuMsPerRequest;
}

const fmt = (n: number | null | undefined, unit = ''): string =>
  n === null || n === undefined ? 'not measured' : `${n}${unit}`;

function latencyTarget(name: string, scenario: ScenarioResult | undefined, p95Ms: number): TargetResult {
  return {
    name,
    target: `p95 <= ${p95Ms} ms`,
    measured: scenario
      ? `p95 ${scenario.latencyMs.p95} ms (p50 ${scenario.latencyMs.p50} ms)`
      : 'not measured',
    pass:
      scenario !== undefined &&
      scenario.requests > 0 &&
      scenario.latencyMs.p95 <= p95Ms &&
      scenario.errors + scenario.non2xx + scenario.graphqlErrors === 0,
  };
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      ServerProcess.killAll();
      process.exit(130);
    });
  }
  const started = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const throughputConnections = Math.max(options.connections, 16);
  const registry = await prepareRegistry(options.databaseUrl, options.size, options.reuse, log);
  log(`registry: ${JSON.stringify(registry.counts)}`);
  if (options.seedOnly) return;

  const machine = machineInfo(await postgresVersion(options.databaseUrl));
  const p = await pickParameters(options.databaseUrl, new Date());
  log(
    `most connected open blocker ${p.mostConnected.key}; focus ${p.focusProvider.name}; ` +
      `lookup ${p.lookupKey}`,
  );
  const monitor = await DatabaseMonitor.connect(options.databaseUrl);
  const bench = new Bench(options, monitor);
  const runId = randomBytes(3).toString('hex');
  const baselines: Record<string, unknown> = {};
  let afterWrite: Record<string, unknown> | undefined;
  const scenarios = new Map(queryScenarios(p).map((s) => [s.name, s]));
  const byName = (name: string): ScenarioResult | undefined =>
    bench.scenarios.find((s) => s.name === name && s.client !== 'baseline');

  const knooppunt = await startKnooppunt(options.databaseUrl);
  try {
    // The list, then the same data by one SQL statement over HTTP right after it, then as ANALYST.
    await bench.query(knooppunt, scenarios.get('list')!, options.connections);
    if (bench.selected('list')) {
      const sqlServer = await startBaseline('list-sql', 'bench/baselines/list-sql.ts', options.databaseUrl);
      try {
        await bench.measure({
          server: sqlServer,
          appName: LIST_SQL_APP,
          name: 'list-sql',
          description: 'baseline A: the list data by one hand-written SQL statement through pg, node:http',
          client: 'baseline',
          headers: bearer('STEERING'),
          body: { query: LIST_QUERY, variables: { first: 50 } },
          connections: options.connections,
        });
      } finally {
        await sqlServer.stop();
      }
      const iterations = Math.max(200, byName('list')?.requests ?? 0);
      baselines.listSqlInProcess = {
        description: 'the same statement and shaping, run sequentially in the bench process (no HTTP)',
        ...(await timeInProcess(options.databaseUrl, iterations, options.duration * 2)),
      };
    }
    await bench.query(knooppunt, scenarios.get('list-analyst')!, options.connections);

    // The trivial lookup, for throughput, against a bare Apollo server.
    await bench.query(knooppunt, scenarios.get('lookup')!, throughputConnections);
    if (bench.selected('lookup')) {
      const apollo = await startBaseline(
        'apollo-bare',
        'bench/baselines/apollo-bare.ts',
        options.databaseUrl,
      );
      try {
        await bench.measure({
          server: apollo,
          appName: APOLLO_APP,
          name: 'lookup-apollo-bare',
          description:
            'baseline B: bare @apollo/server (standalone) + pg answering the same blocker(key) query',
          client: 'baseline',
          headers: bearer('STEERING'),
          body: { query: LOOKUP_QUERY, variables: { key: p.lookupKey } },
          connections: throughputConnections,
        });
      } finally {
        await apollo.stop();
      }
    }

    for (const name of ['impact', 'graph', 'what-if', 'critical', 'search', 'progress-report']) {
      await bench.query(knooppunt, scenarios.get(name)!, options.connections);
    }

    // The first graph and ranking question after a write: each report patches the analytics index.
    if (bench.selected('after-write')) {
      const answers: Record<string, number[]> = { reportBlocker: [], graph: [], critical: [] };
      await monitor.settle(KNOOPPUNT_APP, knooppunt.pid);
      for (let n = 0; n < AFTER_WRITE_ROUNDS; n++) {
        const write = { query: REPORT_MUTATION, variables: { input: reportInput(p, 3_000_000 + n, runId) } };
        for (const [name, body] of [
          ['reportBlocker', write],
          ['graph', scenarios.get('graph')!],
          ['critical', scenarios.get('critical')!],
        ] as const) {
          const query = 'role' in body ? { query: body.query, variables: body.variables } : body;
          const answer = await once(knooppunt.url, bearer('STEERING'), query);
          if (answer.errors.length > 0) log(`after-write ${name}: errors: ${answer.errors[0]}`);
          answers[name].push(answer.ms);
        }
      }
      afterWrite = Object.fromEntries(
        Object.entries(answers).map(([name, ms]) => {
          const sorted = [...ms].sort((a, b) => a - b);
          return [
            name,
            { rounds: ms.length, medianMs: sorted[Math.floor(sorted.length / 2)], maxMs: sorted.at(-1) },
          ];
        }),
      );
      log(`after-write (first answer after each write): ${JSON.stringify(afterWrite)}`);
    }

    // Writes last: every report adds a blocker to the registry.
    if (bench.selected('report-blocker')) {
      await bench.measure({
        server: knooppunt,
        appName: KNOOPPUNT_APP,
        name: 'report-blocker',
        description: 'reportBlocker mutation (audit event, need state, score recompute), a new title each',
        client: 'STEERING',
        headers: bearer('STEERING'),
        body: (n) => ({ query: REPORT_MUTATION, variables: { input: reportInput(p, n, runId) } }),
        connections: throughputConnections,
        checkEveryBody: true,
      });
    }
  } finally {
    await knooppunt.stop();
    await monitor.close();
  }
  machine.loadAverageAtEnd = loadavg().map((n) => Math.round(n * 100) / 100);

  // ---------------------------------------------------------------- ratios and targets
  const list = byName('list');
  const listSql = bench.scenarios.find((s) => s.name === 'list-sql');
  const lookup = byName('lookup');
  const apollo = bench.scenarios.find((s) => s.name === 'lookup-apollo-bare');
  const report = byName('report-blocker');
  const ratio = (a: number | undefined, b: number | undefined): number | null =>
    a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 100) / 100 : null;
  const ratios = {
    listVsSql: {
      basis:
        'Knooppunt list p50 / baseline A p50, both over HTTP with autocannon at the same connections, ' +
        'back to back',
      p50: ratio(list?.latencyMs.p50, listSql?.latencyMs.p50),
      p95: ratio(list?.latencyMs.p95, listSql?.latencyMs.p95),
      meanLatency: ratio(list?.latencyMs.mean, listSql?.latencyMs.mean),
      cpuPerRequest: ratio(cpuPerRequest(list), cpuPerRequest(listSql)),
    },
    lookupVsApollo: {
      basis: 'Knooppunt lookup req/s / bare Apollo req/s, same query, same connections, back to back',
      throughput: ratio(lookup?.requestsPerSecond, apollo?.requestsPerSecond),
      cpuPerRequest: ratio(cpuPerRequest(apollo), cpuPerRequest(lookup)),
    },
  };
  const targets: TargetResult[] = [
    latencyTarget('list (STEERING)', list, LIST_TARGET_P95_MS),
    latencyTarget('list (ANALYST)', byName('list-analyst'), LIST_TARGET_P95_MS),
    {
      name: 'list vs one SQL statement',
      target: `<= ${LIST_MAX_RATIO}x (median latency over HTTP)`,
      measured:
        `${fmt(ratios.listVsSql.p50, 'x')} (p95 ${fmt(ratios.listVsSql.p95, 'x')}, ` +
        `CPU per request ${fmt(ratios.listVsSql.cpuPerRequest, 'x')})`,
      pass: ratios.listVsSql.p50 !== null && ratios.listVsSql.p50 <= LIST_MAX_RATIO,
    },
    {
      name: 'lookup vs bare Apollo',
      target: `>= ${LOOKUP_MIN_RATIO}x throughput`,
      measured:
        `${fmt(ratios.lookupVsApollo.throughput, 'x')} (${fmt(lookup?.requestsPerSecond)} vs ` +
        `${fmt(apollo?.requestsPerSecond)} req/s; ` +
        `by CPU per request ${fmt(ratios.lookupVsApollo.cpuPerRequest, 'x')})`,
      pass: ratios.lookupVsApollo.throughput !== null && ratios.lookupVsApollo.throughput >= LOOKUP_MIN_RATIO,
    },
    latencyTarget('blockerImpact (most connected)', byName('impact'), 50),
    latencyTarget('blockerGraph depth 2 limit 500', byName('graph'), 100),
    latencyTarget('whatIf 100 blockers', byName('what-if'), 200),
    latencyTarget('criticalBlockers(first: 20)', byName('critical'), 300),
    latencyTarget('search', byName('search'), 50),
    latencyTarget('progressReport over a year', byName('progress-report'), 500),
    {
      name: 'reportBlocker sustained',
      target: `>= ${REPORT_MIN_RPS}/s, no errors`,
      measured: report
        ? `${report.successesPerSecond}/s ok, ${report.errors + report.non2xx} HTTP and ` +
          `${report.graphqlErrors} GraphQL errors`
        : 'not measured',
      pass:
        report !== undefined &&
        (report.successesPerSecond ?? 0) >= REPORT_MIN_RPS &&
        report.errors + report.non2xx + report.graphqlErrors === 0,
    },
  ].filter((t) => !t.measured.startsWith('not measured') || options.only.length === 0);

  const seed = registry.seed;
  const results: BenchResults = {
    date: new Date(started).toISOString(),
    runSeconds: Math.round((Date.now() - started) / 1000),
    options: {
      duration: options.duration,
      latencyConnections: options.connections,
      throughputConnections,
      size: options.size,
      reuse: options.reuse,
      only: options.only,
    },
    machine,
    registry: {
      counts: registry.counts,
      countsAfter: await registryCounts(options.databaseUrl),
      seed,
      seededNow: registry.seededNow,
      seedNote: seed
        ? `${registry.seededNow ? 'seeded by this run' : 'reused, seeded earlier'} ` +
          `in ${seed.seconds} s (seed ${seed.seed})`
        : 'reused; seeding time unknown',
      parameters: {
        mostConnected: p.mostConnected,
        lookupKey: p.lookupKey,
        whatIfBlockers: p.whatIf.length,
        focusProvider: p.focusProvider,
        searchTerm: p.searchTerm,
        searchMatches: p.searchMatches,
        period: p.period,
        reportNeeds: p.reportNeeds.length,
      },
    },
    server: {
      main: 'dist of this checkout (.data/bench-dist)',
      env: 'NODE_ENV=production, EXPOSE_QUERY_STATS=true, RATE_LIMIT_ENABLED=false, DEMO_DATA=false',
      dbPoolSize: DB_POOL_SIZE,
      logLevel: 'warn',
    },
    scenarios: bench.scenarios,
    baselines,
    ...(afterWrite ? { afterWrite } : {}),
    ratios,
    targets,
    notes: [
      `Latency scenarios use ${options.connections} connections, ` +
        `throughput scenarios (lookup, reportBlocker) ${throughputConnections}.`,
      'Every server under test runs on this machine with the bench client and PostgreSQL: ' +
        'figures include that contention.',
      'GraphQL errors are counted on a sample of response bodies (the first 20 and every 10th), ' +
        'on every body for reportBlocker.',
      'CPU ms/req (server process + its PostgreSQL backends, from /proc) hardly depends on the load: ' +
        'alone on a 2-core machine a request takes at least about that long, and throughput is at most ' +
        'about 2000 / (node + db) per second.',
      ...bench.scenarios
        .filter((s) => s.mode === 'amount')
        .map(
          (s) =>
            `${s.name}: too slow for ${MIN_SAMPLES} answers in ${options.duration} s; ` +
            `${s.requests} requests sent instead.`,
        ),
    ],
  };
  const files = writeResults(resolve(ROOT, options.out), results);
  process.stdout.write(`${files.join('\n')}\n`);
  for (const t of targets)
    log(`${t.pass ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured} (wanted ${t.target})`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
