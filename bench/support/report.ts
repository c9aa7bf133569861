/** The machine the bench ran on, and the results written as JSON and as a Markdown table. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { LoadFigures } from './load';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  platform: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

export function machineInfo(postgres: string): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
    loadAverageAtEnd: [],
  };
}

export interface ScenarioResult extends LoadFigures {
  name: string;
  description: string;
  /** Who sent it: a role for Knooppunt, or the baseline's name. */
  client: string;
  /** SQL statements of one request (extensions.queryStats), null where the server does not say. */
  sqlStatements: number | null;
  responseBytes: number | null;
  /** The first (unloaded) request's latency. */
  firstAnswerMs: number;
  /** How long the server took to finish the requests still in flight when the load stopped. */
  settleSeconds: number;
  /** Successful requests per second (2xx without GraphQL errors) where every body was checked. */
  successesPerSecond?: number;
}

export interface TargetResult {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
  note?: string;
}

export interface BenchResults {
  date: string;
  /** Wall-clock seconds of the whole run (seeding included when it seeded). */
  runSeconds: number;
  options: Record<string, unknown>;
  machine: MachineInfo;
  registry: Record<string, unknown>;
  server: Record<string, unknown>;
  scenarios: ScenarioResult[];
  baselines: Record<string, unknown>;
  /** Latency of the first graph and ranking answers after each write (the after-write scenario). */
  afterWrite?: Record<string, unknown>;
  ratios: Record<string, unknown>;
  targets: TargetResult[];
  notes: string[];
}

const cell = (value: number | string | null | undefined): string =>
  value === null || value === undefined ? '–' : String(value);

export function markdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `# Knooppunt benchmark — ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; ` +
      `PostgreSQL ${m.postgres}. Load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, ` +
      `at end ${m.loadAverageAtEnd.join(' / ')}.`,
    '',
    `Registry: ${JSON.stringify(r.registry.counts)}; ${String(r.registry.seedNote)}.`,
    '',
    '| scenario | client | conn | req/s | p50 ms | p95 ms | p99 ms | SQL/req | CPU ms/req node + db ' +
      '| errors | load avg |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...r.scenarios.map((s) =>
      [
        s.name,
        s.client,
        s.connections,
        s.successesPerSecond !== undefined
          ? `${s.requestsPerSecond} (${s.successesPerSecond} ok)`
          : s.requestsPerSecond,
        s.latencyMs.p50,
        s.latencyMs.p95,
        s.latencyMs.p99,
        cell(s.sqlStatements),
        `${cell(s.serverCpuMsPerRequest)} + ${cell(s.databaseCpuMsPerRequest)}`,
        `${s.errors + s.non2xx} HTTP, ${s.graphqlErrors}/${s.bodiesChecked} GraphQL`,
        s.loadAverage.after,
      ]
        .map(String)
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
    '| target | wanted | measured | result |',
    '|---|---|---|---|',
    ...r.targets.map(
      (t) =>
        `| ${t.name} | ${t.target} | ${t.measured}${t.note ? ` (${t.note})` : ''} ` +
        `| ${t.pass ? 'met' : 'MISSED'} |`,
    ),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

/** latest.json, latest.md and a dated copy of the JSON (YYYY-MM-DD.json). */
export function writeResults(dir: string, results: BenchResults): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  // One dated copy a day: a later run on the same day replaces it.
  const files = [
    join(dir, 'latest.json'),
    join(dir, 'latest.md'),
    join(dir, `${results.date.slice(0, 10)}.json`),
  ];
  writeFileSync(files[0], json);
  writeFileSync(files[1], markdown(results));
  writeFileSync(files[2], json);
  return files;
}
