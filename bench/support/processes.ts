/** The servers under test, each a child process on a loopback port of its own. */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

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

/**
 * The Node flags production runs the server with (`npm start`, the Dockerfile): a young generation of
 * 32 MB semi-spaces, so that the garbage of answers in flight dies young instead of being copied.
 * Every server under test gets them, the baselines too.
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'];

export class ServerProcess {
  /** Every server started and not yet stopped, so that an interrupted bench can stop them. */
  static readonly running = new Set<ServerProcess>();

  private output = '';

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /**
   * Start `node <NODE_FLAGS> <args>` with exactly this environment (plus PATH) and wait until a GET of `readyPath`
   * answers with anything but a 5xx. The child's output is kept (last 20 kB) for error messages.
   */
  static async start(
    name: string,
    args: string[],
    env: Record<string, string>,
    readyPath: string,
    cwd: string,
    timeoutMs = 120_000,
  ): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(name, `http://127.0.0.1:${port}`, child);
    ServerProcess.running.add(server);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited early:\n${server.output}`);
      try {
        const res = await fetch(`${server.url}${readyPath}`);
        if (res.status < 500) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.stop();
    throw new Error(`${name} did not become ready:\n${server.output}`);
  }

  get logs(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    ServerProcess.running.delete(this);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Kill every running server at once (on an interrupt, when there is no time to wait). */
  static killAll(): void {
    for (const server of ServerProcess.running) server.child.kill('SIGKILL');
    ServerProcess.running.clear();
  }
}
