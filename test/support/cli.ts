/**
 * Runs the built command line (dist/apps/cli/src/main.js) as a child process, as an operator would,
 * against a given database. Requires `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT, TEST_SECRET } from './server';

export const CLI = resolve(ROOT, 'dist/apps/cli/src/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(databaseUrl: string, args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: databaseUrl,
          AUTH_JWT_SECRET: TEST_SECRET,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Run and fail with the command's output unless it exits with `expected`. */
export async function cli(databaseUrl: string, args: string[], expected = 0): Promise<CliResult> {
  const result = await runCli(databaseUrl, args);
  if (result.code !== expected)
    throw new Error(`knooppunt ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** What the PDF holds, read by pdf.js in a separate process (test/support/pdf-inspect.mjs). */
export interface PdfContent {
  pages: number;
  title: string | null;
  content: Array<{ text: string; fills: number; strokes: number }>;
}

export function inspectPdf(path: string): Promise<PdfContent> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [resolve(ROOT, 'test/support/pdf-inspect.mjs'), path],
      (error, stdout, stderr) => {
        if (error) fail(new Error(`pdf.js could not read ${path}: ${stderr || error.message}`));
        else done(JSON.parse(stdout) as PdfContent);
      },
    );
  });
}
