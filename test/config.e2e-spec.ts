/**
 * A bad configuration stops the built server at once: exit code 1, nothing on stdout, and one readable
 * line on stderr that names the variable at fault (no stack trace, no connection attempt).
 */
import { spawn } from 'node:child_process';
import { MAIN, ROOT } from './support/server';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Start main.js with only PATH and `env`: nothing of the test run's environment leaks in. */
function start(env: Record<string, string>, args: string[] = []): Promise<Exit> {
  return new Promise((done) => {
    const began = Date.now();
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // A server that came up despite the bad value would run forever.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - began });
    });
  });
}

/** A database URL nothing listens on: a server that got past the validation would fail differently. */
const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';

describe('configuration errors', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['PORT=abc', { PORT: 'abc', DATABASE_URL: NOWHERE }, /^Invalid configuration: PORT must be an integer/],
    ['PORT=70000', { PORT: '70000', DATABASE_URL: NOWHERE }, /PORT must not be greater than 65535/],
    ['DATABASE_URL=mysql://x', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [
      'NODE_ENV=production without AUTH_JWT_SECRET',
      { NODE_ENV: 'production', DATABASE_URL: NOWHERE },
      /AUTH_JWT_SECRET is required when NODE_ENV=production/,
    ],
    [
      'a short AUTH_JWT_SECRET',
      { AUTH_JWT_SECRET: 'too-short', DATABASE_URL: NOWHERE },
      /AUTH_JWT_SECRET must be at least 32 characters/,
    ],
    ['DEMO_DATA=maybe', { DEMO_DATA: 'maybe', DATABASE_URL: NOWHERE }, /DEMO_DATA must be true or false/],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud', DATABASE_URL: NOWHERE }, /LOG_LEVEL must be one of .*debug/],
    ['NODE_ENV=staging', { NODE_ENV: 'staging', DATABASE_URL: NOWHERE }, /NODE_ENV must be one of/],
    [
      'SHUTDOWN_TIMEOUT_MS=soon',
      { SHUTDOWN_TIMEOUT_MS: 'soon', DATABASE_URL: NOWHERE },
      /SHUTDOWN_TIMEOUT_MS must be an integer/,
    ],
    [
      'SHUTDOWN_TIMEOUT_MS=-1',
      { SHUTDOWN_TIMEOUT_MS: '-1', DATABASE_URL: NOWHERE },
      /SHUTDOWN_TIMEOUT_MS must not be less than 0/,
    ],
    ['EMBEDDED_PG_PORT=80', { EMBEDDED_PG_PORT: '80' }, /EMBEDDED_PG_PORT must not be less than 1024/],
    [
      'an unknown PRIORITY_WEIGHTS factor',
      { PRIORITY_WEIGHTS: 'severity=0.2,luck=0.8', DATABASE_URL: NOWHERE },
      /PRIORITY_WEIGHTS names an unknown factor "luck"/,
    ],
  ])('%s: exits 1 at once with one line naming it', async (_case, env, message) => {
    const exit = await start(env);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: /);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).not.toMatch(/\bat .*\.js|Error:|ECONNREFUSED/);
    // No Nest start-up, no database: the time is loading the code, well below a connection timeout.
    expect(exit.ms).toBeLessThan(15_000);
  });

  it('names every variable at fault in that one line', async () => {
    const exit = await start({
      PORT: 'abc',
      DEMO_DATA: 'maybe',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
    });
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const name of ['PORT', 'DEMO_DATA', 'LOG_LEVEL', 'DATABASE_URL']) expect(lines[0]).toContain(name);
  });

  it('refuses the migrate command with the same bad configuration', async () => {
    const exit = await start({ DATABASE_URL: 'mysql://x' }, ['migrate']);
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim()).toBe('Invalid configuration: DATABASE_URL must be a postgres:// URL');
  });

  it('accepts the spellings of a boolean and an empty value as unset', async () => {
    // Valid configuration, unreachable database: it gets past the validation and fails on connecting.
    const exit = await start({ DEMO_DATA: 'off', LOG_LEVEL: '', DATABASE_URL: NOWHERE }, ['migrate']);
    expect(exit.code).toBe(1);
    expect(exit.stderr).not.toMatch(/Invalid configuration/);
    expect(exit.stderr.trim()).toMatch(/^Migration failed: .*ECONNREFUSED/);
  });
});
