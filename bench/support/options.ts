import { parseArgs } from 'node:util';
import { RegistrySize } from './registry';

export interface BenchOptions {
  databaseUrl: string;
  reuse: boolean;
  /** Seconds of load per scenario. */
  duration: number;
  /** Concurrent connections per scenario. */
  connections: number;
  size: RegistrySize;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Prepare (seed) the database and stop. */
  seedOnly: boolean;
  /** Where the results go. */
  out: string;
}

export const USAGE = `usage: npm run bench -- [options]
  --database-url URL   bench database (default postgres://postgres@127.0.0.1:5432/knooppunt_bench)
  --reuse              keep the registry when the database already holds it (else it is re-seeded)
  --duration S         seconds of load per scenario (default 10)
  --connections N      concurrent connections of the latency scenarios (default 4; throughput
                       scenarios use at least 16)
  --providers N --needs N --blockers N --seed S
                       registry size (default 2000 / 200000 / 50000, seed 42); smaller for a quick run
  --only a,b           run only these scenarios (names as in the results)
  --seed-only          prepare the database and stop
  --out DIR            results folder (default bench/results)`;

const positiveInt = (name: string, value: string | undefined, fallback: number): number => {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number\n${USAGE}`);
  return n;
};

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/knooppunt_bench' },
      reuse: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string' },
      providers: { type: 'string' },
      needs: { type: 'string' },
      blockers: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      'seed-only': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const size: RegistrySize = {
    providers: positiveInt('providers', values.providers, 2000),
    needs: positiveInt('needs', values.needs, 200_000),
    blockers: positiveInt('blockers', values.blockers, 50_000),
    seed: positiveInt('seed', values.seed, 42),
  };
  if (size.providers < 20) throw new Error(`--providers must be at least 20\n${USAGE}`);
  return {
    databaseUrl: values['database-url'],
    reuse: values.reuse,
    duration: positiveInt('duration', values.duration, 10),
    connections: positiveInt('connections', values.connections, 4),
    size,
    only: values.only ? values.only.split(',').map((s) => s.trim()) : [],
    seedOnly: values['seed-only'],
    out: values.out,
  };
}
