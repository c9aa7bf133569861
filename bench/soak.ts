/**
 * `npm run soak -- --minutes 10`: the built server under a steady mixed load for a long time.
 *
 * 1. Re-creates the soak database (its name must contain `soak`) and starts the server on it in
 *    production mode with the demo data, `RATE_LIMIT_ENABLED=false` (one address sends everything);
 * 2. ramp: after a warm-up, loads it at rising request rates (x1.5 per step), `--step-seconds` each,
 *    and keeps the highest rate that was reached (within 10%) with p99 <= 500 ms and no error; when
 *    not even the first rate holds, the hold runs at the first rate and the result is a failure;
 * 3. hold: loads it at that rate for `--minutes`, sampling the server's RSS and heap (from /metrics)
 *    every 30 s;
 * 4. writes bench/results/soak-latest.json and soak-latest.md: throughput, errors (connection errors,
 *    timeouts, non-2xx and GraphQL errors, every body checked), p50/p95/p99, memory at the start and
 *    the end of the hold and its trend (least-squares slope, MB per minute).
 *
 * The mix, one request in ten each: four reads (blocker list, blocker by key with its impact, need
 * list, search), reportBlocker twice, addComment twice, and two more list reads. Before the load it
 * declares 2000 needs through the API, and the reports spread over them and the demo's needs.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { GraphQLBody, LoadFigures, once, runLoad } from './support/load';
import { ServerProcess } from './support/processes';
import { postgresVersion, ROOT } from './support/registry';
import { machineInfo, MachineInfo } from './support/report';

const SERVER_MAIN = resolve(ROOT, '.data/bench-dist/apps/api/src/main.js');
const SECRET = 'knooppunt-soak-secret-0123456789abcdef';
const P99_LIMIT_MS = 500;
const SAMPLE_EVERY_MS = 30_000;
/** Needs declared before the load, for the reports to spread over. */
const NEED_POOL = 2000;

const USAGE = `usage: npm run soak -- [options]
  --minutes M          how long to hold the rate (default 10)
  --database-url URL   soak database, dropped and re-created (default
                       postgres://postgres@127.0.0.1:5432/knooppunt_soak; the name must contain "soak")
  --connections N      concurrent connections (default 16)
  --step-seconds S     seconds per ramp step (default 10)
  --start-rate R       first rate of the ramp, requests per second (default 10)
  --out DIR            results folder (default bench/results)`;

const log = (line: string): void => {
  process.stderr.write(`[soak] ${line}\n`);
};

interface Options {
  minutes: number;
  databaseUrl: string;
  connections: number;
  stepSeconds: number;
  startRate: number;
  out: string;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/knooppunt_soak' },
      connections: { type: 'string', default: '16' },
      'step-seconds': { type: 'string', default: '10' },
      'start-rate': { type: 'string', default: '10' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (name: string, value: string): number => {
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number\n${USAGE}`);
    return n;
  };
  const databaseUrl = values['database-url'];
  if (!/soak/.test(new URL(databaseUrl).pathname))
    throw new Error(`the soak database's name must contain "soak" (it is dropped)\n${USAGE}`);
  return {
    minutes: positive('minutes', values.minutes),
    databaseUrl,
    connections: Math.round(positive('connections', values.connections)),
    stepSeconds: Math.round(positive('step-seconds', values['step-seconds'])),
    startRate: positive('start-rate', values['start-rate']),
    out: values.out,
  };
}

async function recreateDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

interface MemorySample {
  /** Minutes since the hold began. */
  minute: number;
  rssMB: number;
  heapUsedMB: number;
}

/** The server's resident set and used heap, from its Prometheus metrics. */
async function memory(url: string, since: number): Promise<MemorySample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string): number => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    if (!match) throw new Error(`no ${name} in /metrics`);
    return Number(match[1]);
  };
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    minute: Math.round(((Date.now() - since) / 60_000) * 100) / 100,
    rssMB: mb(metric('process_resident_memory_bytes')),
    heapUsedMB: mb(metric('nodejs_heap_size_used_bytes')),
  };
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return 0;
  return points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

const errorsOf = (f: LoadFigures): number => f.errors + f.timeouts + f.non2xx + f.graphqlErrors;

interface RampStep {
  targetRate: number;
  achievedRate: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  holds: boolean;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const token = jwt.sign({ sub: 'soak-admin', name: 'Soak Admin', roles: ['ADMIN'] }, SECRET, {
    algorithm: 'HS256',
    expiresIn: 24 * 3600,
  });
  const headers = { authorization: `Bearer ${token}` };

  log(`re-creating ${new URL(opts.databaseUrl).pathname.slice(1)}`);
  await recreateDatabase(opts.databaseUrl);
  const server = await ServerProcess.start(
    'knooppunt',
    [SERVER_MAIN],
    {
      DATABASE_URL: opts.databaseUrl,
      AUTH_JWT_SECRET: SECRET,
      NODE_ENV: 'production',
      DEMO_DATA: 'true',
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
    '/health/ready',
    ROOT,
  );
  const stopOnSignal = (): void => {
    ServerProcess.killAll();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    const machine: MachineInfo = machineInfo(await postgresVersion(opts.databaseUrl));
    const ask = async <T>(query: string): Promise<T> => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      if (body.errors) throw new Error(`set-up query failed: ${JSON.stringify(body.errors)}`);
      return body.data as T;
    };
    const { dataNeeds } = await ask<{ dataNeeds: { nodes: Array<{ id: string }> } }>(
      '{ dataNeeds(first: 100) { nodes { id } } }',
    );
    // Reports spread over a pool of needs, as a national registry's do (a few blockers per need): on
    // the demo's few needs alone, ten minutes of reports would pile thousands of blockers onto each
    // need, and every report would recompute the scores of all of them.
    const needs = dataNeeds.nodes.map((n) => n.id);
    const { providers } = await ask<{ providers: { nodes: Array<{ id: string }> } }>(
      '{ providers(first: 100) { nodes { id } } }',
    );
    const pool = providers.nodes.map((p) => p.id);
    log(`declaring ${NEED_POOL} needs to report on`);
    for (let start = 0; start < NEED_POOL; start += 20) {
      const batch = Array.from({ length: Math.min(20, NEED_POOL - start) }, (_, i) => start + i);
      const declared = await Promise.all(
        batch.map((i) =>
          ask<{ declareDataNeed: { id: string } }>(
            `mutation { declareDataNeed(input: {
               requesterId: "${pool[i % pool.length]}",
               supplierId: "${pool[(i + 1 + (i % (pool.length - 1))) % pool.length]}",
               dataElements: ["gegeven ${i}"], purpose: "Soak need ${i} for the long run" }) { id } }`,
          ),
        ),
      );
      needs.push(...declared.map((d) => d.declareDataNeed.id));
    }
    const { blockers } = await ask<{ blockers: { nodes: Array<{ id: string; key: string }> } }>(
      '{ blockers(first: 100) { nodes { id key } } }',
    );
    const keys = blockers.nodes.map((b) => b.key);
    const ids = blockers.nodes.map((b) => b.id);

    const mix = (n: number): GraphQLBody => {
      switch (n % 10) {
        case 0:
        case 5:
          return {
            query: `{ blockers(first: 20) { totalCount nodes { key title status priority { score } } } }`,
          };
        case 1:
          return {
            query: `query($key: String) { blocker(key: $key) { key title status affectedNeeds(first: 10) { nodes { purpose state } } } }`,
            variables: { key: keys[n % keys.length] },
          };
        case 2:
        case 7:
          return {
            query: `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key } } }`,
            variables: {
              input: {
                title: `Soak ${n}`,
                description: 'Reported by the soak test',
                type: 'NO_INTERFACE',
                severity: 'LOW',
                affectedNeedIds: [needs[n % needs.length]],
              },
            },
          };
        case 3:
          return { query: `{ dataNeeds(first: 20) { totalCount nodes { purpose state } } }` };
        case 4:
        case 9:
          return {
            query: `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`,
            variables: { input: { blockerId: ids[n % ids.length], body: `Soak comment ${n}` } },
          };
        case 6:
          return {
            query: `query($q: String!) { blockers(first: 10, filter: { search: $q }) { totalCount nodes { key } } }`,
            variables: { q: 'gegevens' },
          };
        default:
          return { query: `{ providers(first: 20) { totalCount nodes { name } } }` };
      }
    };
    for (let n = 0; n < 10; n++) {
      const first = await once(server.url, headers, mix(n));
      if (first.errors.length > 0) throw new Error(`request ${n % 10} of the mix fails: ${first.errors[0]}`);
    }

    // Every body is checked, so that GraphQL errors count as errors.
    let sent = 0;
    const load = async (rate: number, seconds: number): Promise<LoadFigures> => {
      const offset = sent;
      const figures = await runLoad({
        url: server.url,
        headers,
        body: (n) => mix(offset + n),
        connections: opts.connections,
        seconds,
        rate,
        checkEveryBody: true,
        serverPid: server.pid,
      });
      sent += figures.requests + figures.errors + figures.timeouts;
      return figures;
    };

    const memoryAtStart = await memory(server.url, Date.now());
    log('warming up');
    await load(opts.startRate, opts.stepSeconds);
    await new Promise((r) => setTimeout(r, 2000));
    const ramp: RampStep[] = [];
    let rate = opts.startRate;
    let chosen: number | null = null;
    for (let step = 0; step < 14; step++) {
      const f = await load(rate, opts.stepSeconds);
      const holds = f.latencyMs.p99 <= P99_LIMIT_MS && errorsOf(f) === 0 && f.requestsPerSecond >= 0.9 * rate;
      ramp.push({
        targetRate: rate,
        achievedRate: f.requestsPerSecond,
        requests: f.requests,
        p50: f.latencyMs.p50,
        p95: f.latencyMs.p95,
        p99: f.latencyMs.p99,
        errors: errorsOf(f),
        holds,
      });
      log(
        `ramp ${rate} req/s: ${f.requestsPerSecond} req/s, p99 ${f.latencyMs.p99} ms, ${errorsOf(f)} errors` +
          (f.firstError ? ` (${f.firstError})` : '') +
          (holds ? '' : ' - does not hold'),
      );
      if (!holds) break;
      chosen = rate;
      rate = Math.round(rate * 1.5);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const held = chosen !== null;
    if (!held)
      log(`not even ${opts.startRate} req/s held p99 <= ${P99_LIMIT_MS} ms; holding that rate anyway`);
    const holdRate = chosen ?? opts.startRate;
    await new Promise((r) => setTimeout(r, 5000));

    log(`holding ${holdRate} req/s for ${opts.minutes} min`);
    const began = Date.now();
    const samples: MemorySample[] = [await memory(server.url, began)];
    const timer = setInterval(() => {
      memory(server.url, began).then(
        (s) => {
          samples.push(s);
          log(`minute ${s.minute}: RSS ${s.rssMB} MB, heap ${s.heapUsedMB} MB`);
        },
        (error: Error) => log(`memory sample failed: ${error.message}`),
      );
    }, SAMPLE_EVERY_MS);
    const hold = await load(holdRate, Math.round(opts.minutes * 60));
    clearInterval(timer);
    samples.push(await memory(server.url, began));

    const rssSlope = slope(samples.map((s) => [s.minute, s.rssMB]));
    const heapSlope = slope(samples.map((s) => [s.minute, s.heapUsedMB]));
    machine.loadAverageAtEnd = machineInfo(machine.postgres).loadAverageAtStart;
    const results = {
      kind: 'soak',
      startedAt: new Date(began).toISOString(),
      options: opts,
      machine,
      server:
        'NODE_ENV=production, DEMO_DATA=true, RATE_LIMIT_ENABLED=false, DB_POOL_SIZE=10, LOG_LEVEL=warn',
      mix: 'of every 10 requests: 6 reads (blocker list x2, blocker by key, need list, search, providers), 2 reportBlocker, 2 addComment',
      p99LimitMs: P99_LIMIT_MS,
      ramp,
      rate: holdRate,
      rampHeld: held,
      hold: {
        seconds: hold.seconds,
        requests: hold.requests,
        requestsPerSecond: hold.requestsPerSecond,
        latencyMs: hold.latencyMs,
        errors: errorsOf(hold),
        errorDetail: {
          connection: hold.errors,
          timeouts: hold.timeouts,
          non2xx: hold.non2xx,
          graphql: hold.graphqlErrors,
          first: hold.firstError,
        },
        serverCpuMsPerRequest: hold.serverCpuMsPerRequest,
        loadAverage: hold.loadAverage,
      },
      memory: {
        atServerStart: memoryAtStart,
        holdStart: samples[0],
        holdEnd: samples[samples.length - 1],
        samples,
        rssSlopeMBPerMinute: Math.round(rssSlope * 100) / 100,
        heapSlopeMBPerMinute: Math.round(heapSlope * 100) / 100,
      },
      pass: held && errorsOf(hold) === 0 && hold.latencyMs.p99 <= P99_LIMIT_MS,
    };

    const out = resolve(ROOT, opts.out);
    mkdirSync(out, { recursive: true });
    writeFileSync(resolve(out, 'soak-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    const md = [
      `# Soak test, ${results.startedAt}`,
      '',
      `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
        `PostgreSQL ${machine.postgres}; load average ${machine.loadAverageAtStart.join(' / ')} at the start, ` +
        `${machine.loadAverageAtEnd.join(' / ')} at the end.`,
      `Server: ${results.server}. Mix: ${results.mix}. ${opts.connections} connections.`,
      '',
      '## Ramp',
      '',
      '| target req/s | achieved req/s | p50 ms | p95 ms | p99 ms | errors | holds |',
      '|---:|---:|---:|---:|---:|---:|---|',
      ...ramp.map(
        (r) =>
          `| ${r.targetRate} | ${r.achievedRate} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.holds ? 'yes' : 'no'} |`,
      ),
      '',
      `## Hold: ${holdRate} req/s for ${opts.minutes} min` + (held ? '' : ' (no rate of the ramp held)'),
      '',
      `| requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |`,
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${hold.requests} | ${hold.requestsPerSecond} | ${hold.latencyMs.p50} | ${hold.latencyMs.p95} | ` +
        `${hold.latencyMs.p99} | ${hold.latencyMs.max} | ${errorsOf(hold)} |`,
      '',
      '## Memory of the server process',
      '',
      '| minute | RSS MB | heap used MB |',
      '|---:|---:|---:|',
      ...samples.map((s) => `| ${s.minute} | ${s.rssMB} | ${s.heapUsedMB} |`),
      '',
      `Trend over the hold (least squares): RSS ${results.memory.rssSlopeMBPerMinute} MB/min, ` +
        `heap ${results.memory.heapSlopeMBPerMinute} MB/min. At server start: RSS ${memoryAtStart.rssMB} MB, ` +
        `heap ${memoryAtStart.heapUsedMB} MB.`,
      '',
      `Result: ${results.pass ? 'PASS' : 'FAIL'} (a rate of the ramp held, and no error and p99 <= ${P99_LIMIT_MS} ms over the hold).`,
      '',
    ].join('\n');
    writeFileSync(resolve(out, 'soak-latest.md'), md);
    process.stdout.write(md);
    process.exitCode = results.pass ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  ServerProcess.killAll();
  process.stderr.write(
    `\n[soak] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
