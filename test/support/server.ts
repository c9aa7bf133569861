/**
 * The e2e harness: each test file starts the built server (dist/) as a child process on its own fresh
 * database and talks to it over HTTP, exactly as a client would. Requires `npm run build` first
 * (`npm test` does it).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { Client, Pool } from 'pg';

export const TEST_SECRET = 'knooppunt-e2e-secret-0123456789abcdef';
export const ROOT = resolve(__dirname, '..', '..');
/**
 * The built server. KNOOPPUNT_TEST_MAIN points the tests at another build (e.g. a copy of dist/ that a
 * concurrent `npm run build` cannot delete halfway through a run).
 */
export const MAIN = process.env.KNOOPPUNT_TEST_MAIN
  ? resolve(ROOT, process.env.KNOOPPUNT_TEST_MAIN)
  : resolve(ROOT, 'dist/apps/api/src/main.js');

export type RoleName = 'ADMIN' | 'STEERING' | 'STEWARD' | 'ANALYST';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  extensions?: { queryStats?: { sqlStatements: number } };
}

export interface TokenOptions {
  sub?: string;
  name?: string;
  org?: string | null;
  expiresIn?: number;
  secret?: string;
  roles?: RoleName[];
}

export function token(role: RoleName, options: TokenOptions = {}): string {
  const roles = options.roles ?? [role];
  const payload: Record<string, unknown> = {
    sub: options.sub ?? `test-${roles.join('-').toLowerCase()}-${options.org ?? 'none'}`,
    name: options.name ?? `Test ${role}`,
    roles,
  };
  if (options.org) payload.org = options.org;
  return jwt.sign(payload, options.secret ?? TEST_SECRET, {
    algorithm: 'HS256',
    expiresIn: options.expiresIn ?? 3600,
  });
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function createDatabase(suffix: string): Promise<string> {
  const runUrl = process.env.KNOOPPUNT_TEST_DATABASE_URL;
  const adminUrl = process.env.KNOOPPUNT_TEST_ADMIN_URL;
  if (!runUrl || !adminUrl)
    throw new Error('run the e2e tests through jest (global-setup publishes the database)');
  const name = `${new URL(runUrl).pathname.slice(1)}_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ServerOptions {
  demo?: boolean;
  env?: Record<string, string>;
  /** Reuse a database (e.g. a second instance); by default a fresh one is created. */
  databaseUrl?: string;
}

export class TestServer {
  private output = '';

  private constructor(
    readonly url: string,
    readonly databaseUrl: string,
    readonly db: Pool,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.remember(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.remember(chunk));
  }

  static async start(options: ServerOptions = {}): Promise<TestServer> {
    const databaseUrl = options.databaseUrl ?? (await createDatabase(randomBytes(4).toString('hex')));
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        AUTH_JWT_SECRET: TEST_SECRET,
        DEMO_DATA: options.demo ? 'true' : 'false',
        LOG_LEVEL: 'warn',
        // The limiter runs, with limits no test's bursts reach (test/rate-limit.e2e-spec.ts sets low ones).
        RATE_LIMIT_PER_MINUTE_USER: '1000000',
        RATE_LIMIT_PER_MINUTE_IP: '1000000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new TestServer(
      `http://127.0.0.1:${port}`,
      databaseUrl,
      new Pool({ connectionString: databaseUrl, max: 4 }),
      child,
    );
    await server.waitReady();
    return server;
  }

  private remember(chunk: Buffer): void {
    this.output = (this.output + chunk.toString('utf8')).slice(-20000);
  }

  /** What the server printed (the last 20 kB), for assertions on logs and for failure messages. */
  get logs(): string {
    return this.output;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the server exited early:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/health/ready`);
        // The demo data loads before the server listens, so ready means ready to answer.
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not become ready:\n${this.output}`);
  }

  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    bearer?: string | null,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  /** Run a query and fail with the server's errors when there are any. */
  async ok<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    bearer: string,
  ): Promise<T> {
    const res = await this.gql<T>(query, variables, bearer);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
    return res.data as T;
  }

  async stop(): Promise<void> {
    await this.db.end();
    await this.terminate();
  }

  /**
   * Send `signal` and wait for the process to end (SIGKILL after 30 s): its exit code, the signal that
   * ended it, and how long it took.
   */
  async terminate(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const began = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((r) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        r({ code: this.child.exitCode, signal: this.child.signalCode, ms: 0 });
      else this.child.once('exit', (code, sig) => r({ code, signal: sig, ms: Date.now() - began }));
    });
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `main.js <command>` against a database: exit code and output. */
export function runCommand(command: string, databaseUrl: string): Promise<CommandResult> {
  return run([MAIN, command], { DATABASE_URL: databaseUrl });
}

/** Run one of the TypeScript scripts (scripts/, bench/) as npm does, with these arguments. */
export function runScript(script: string, args: string[]): Promise<CommandResult> {
  return run(['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script, ...args], {});
}

function run(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The first error's code, for terse assertions. */
export const codeOf = (res: GraphQLResponse): string | undefined => res.errors?.[0]?.extensions?.code;
