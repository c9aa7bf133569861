/** Load over loopback with autocannon, and the figures the bench keeps of each run. */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** The same body every time, or a new one per request (n counts from 0 over all connections). */
  body: GraphQLBody | ((n: number) => GraphQLBody);
  connections: number;
  seconds: number;
  /** Send exactly this many requests instead of loading for `seconds` (for requests slower than that). */
  amount?: number;
  /** At most this many requests per second over all connections (autocannon's overallRate). */
  rate?: number;
  /** Check every response body when true; else the first 20 and every 10th after. */
  checkEveryBody?: boolean;
  /** The process serving the requests, to measure its CPU time. */
  serverPid?: number;
  /** CPU time (ms) of each database backend serving it, read before and after the load. */
  databaseCpu?: () => Promise<Map<number, number> | null>;
}

export interface LoadFigures {
  connections: number;
  /** 'duration': load for a number of seconds; 'amount': a fixed number of requests (slow scenarios). */
  mode: 'duration' | 'amount';
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Response bodies parsed to look for GraphQL `errors`, and how many had them. */
  bodiesChecked: number;
  graphqlErrors: number;
  /** The first GraphQL error message seen, if any. */
  firstError: string | null;
  /** CPU time of the server process per request (user + system), when its pid is known. */
  serverCpuMsPerRequest: number | null;
  /** CPU time of the PostgreSQL backends per request, when they can be read. */
  databaseCpuMsPerRequest: number | null;
  loadAverage: { before: number; after: number };
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** user + system CPU time of a process in milliseconds (Linux /proc), or null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU time spent between two readings of per-process times: backends that started in between count
 * whole; backends that ended in between are lost (so this can only undercount).
 */
function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += Math.max(0, ms - (before.get(pid) ?? 0));
  return total;
}

/** The GraphQL errors of a response body, or a parse failure as one error. */
export function errorsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ message?: string }> };
    return (parsed.errors ?? []).map((e) => e.message ?? 'error without message');
  } catch {
    return [`unparsable response: ${body.slice(0, 120)}`];
  }
}

export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  const times: number[] = [];
  let counter = 0;
  let seen = 0;
  let bodiesChecked = 0;
  let graphqlErrors = 0;
  let firstError: string | null = null;
  const fixed = typeof spec.body === 'function' ? null : JSON.stringify(spec.body);
  const build = spec.body;
  const request: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...spec.headers },
    ...(fixed !== null ? { body: fixed } : {}),
    ...(typeof build === 'function'
      ? {
          setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify(build(counter++)) }),
        }
      : {}),
    onResponse: (status: number, body: string) => {
      const n = seen++;
      if (!spec.checkEveryBody && n >= 20 && n % 10 !== 0) return;
      bodiesChecked++;
      const errors = status === 200 ? errorsOf(body) : [`HTTP ${status}: ${body.slice(0, 120)}`];
      if (errors.length > 0) {
        graphqlErrors++;
        firstError ??= errors[0];
      }
    },
  };
  const loadBefore = loadavg()[0];
  const cpuBefore = cpuMs(spec.serverPid);
  const dbBefore = spec.databaseCpu ? await spec.databaseCpu() : null;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.seconds }),
        ...(spec.rate !== undefined ? { overallRate: spec.rate } : {}),
        timeout: 120,
        requests: [request],
      },
      (error, res) => (error ? fail(error as Error) : done(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  const cpuAfter = cpuMs(spec.serverPid);
  const dbAfter = spec.databaseCpu ? await spec.databaseCpu() : null;
  times.sort((a, b) => a - b);
  const requests = times.length;
  return {
    connections: spec.connections,
    mode: spec.amount !== undefined ? 'amount' : 'duration',
    seconds: round(result.duration),
    requests,
    requestsPerSecond: round(requests / result.duration, 1),
    latencyMs: {
      p50: round(percentile(times, 50)),
      p95: round(percentile(times, 95)),
      p99: round(percentile(times, 99)),
      max: round(times[times.length - 1] ?? 0),
      mean: round(requests ? times.reduce((s, t) => s + t, 0) / requests : 0),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bodiesChecked,
    graphqlErrors,
    firstError,
    serverCpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && requests > 0
        ? round((cpuAfter - cpuBefore) / requests)
        : null,
    databaseCpuMsPerRequest:
      dbBefore !== null && dbAfter !== null && requests > 0
        ? round(cpuSpent(dbBefore, dbAfter) / requests)
        : null,
    loadAverage: { before: round(loadBefore), after: round(loadavg()[0]) },
  };
}

export interface SingleAnswer {
  ms: number;
  errors: string[];
  sqlStatements: number | null;
  bytes: number;
}

/** One request outside the load: its answer's errors, size and extensions.queryStats. */
export async function once(
  url: string,
  headers: Record<string, string>,
  body: GraphQLBody,
): Promise<SingleAnswer> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let sqlStatements: number | null = null;
  try {
    const parsed = JSON.parse(text) as { extensions?: { queryStats?: { sqlStatements?: number } } };
    sqlStatements = parsed.extensions?.queryStats?.sqlStatements ?? null;
  } catch {
    // reported through errors below
  }
  const errors = res.status === 200 ? errorsOf(text) : [`HTTP ${res.status}: ${text.slice(0, 200)}`];
  return { ms: round(ms), errors, sqlStatements, bytes: text.length };
}
