#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { localToken } from '@app/auth/local-token';
import { ConfigError, validateEnvironment } from '@app/config/app-config';
import { AppConfig } from '@app/config/config.service';
import { migrateDatabase, verifyAudit } from '@app/database/operator';
import { UsageError } from './args';

// NestJS and the domain services are loaded only by the commands that need them (import, export,
// report, seed); migrate, audit:verify and token work on the database or the configuration directly,
// with the same code as the API binary and `npm run token`.

const USAGE = `usage: knooppunt <command> [options]

  import <file.csv|file.xlsx|file.json> [--mapping mapping.json] [--dry-run] [--as who]
  export --format csv|xlsx|json [--filter name=value]... [--out file] [--as who]
  report --from YYYY-MM-DD --to YYYY-MM-DD --format md|pdf [--out file] [--as who]
  migrate                 apply pending database migrations
  seed                    load the demo data into an empty registry
  token --role ROLE [--org OIN|TOOI] [--sub id] [--name text] [--hours n]
  audit:verify            check the audit hash chain (exit code 3 when broken)

  --as ROLE | ROLE/org | subject/ROLE/org   who acts (import: ADMIN; export and report: ANALYST)
  filters: status, layer, type, severity, level (comma lists), open=yes|no, provider, owner,
           search, since, before (YYYY-MM-DD), stale (days)
See docs/cli.md.
`;

const OPTIONS = {
  mapping: { type: 'string' },
  'dry-run': { type: 'boolean' },
  as: { type: 'string' },
  format: { type: 'string' },
  filter: { type: 'string', multiple: true },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  role: { type: 'string', multiple: true },
  org: { type: 'string' },
  sub: { type: 'string' },
  name: { type: 'string' },
  hours: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** Which options each command takes. */
const ACCEPTS: Record<string, Array<keyof typeof OPTIONS>> = {
  import: ['mapping', 'dry-run', 'as'],
  export: ['format', 'filter', 'out', 'as'],
  report: ['from', 'to', 'format', 'out', 'as'],
  migrate: [],
  seed: [],
  token: ['role', 'org', 'sub', 'name', 'hours'],
  'audit:verify': [],
};

const write = (text: string): void => {
  process.stdout.write(text);
};

/** The first line of an error's message, or its code (a refused connection may have no message). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.split('\n')[0] || (error as NodeJS.ErrnoException).code || error.name;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const accepted = ACCEPTS[command];
  if (!accepted) throw new UsageError(`unknown command "${command}"`);
  const given = (Object.keys(values) as Array<keyof typeof OPTIONS>).filter((k) => k !== 'help');
  const wrong = given.filter((k) => !accepted.includes(k));
  if (wrong.length) throw new UsageError(`${command} takes no ${wrong.map((k) => `--${k}`).join(', ')}`);
  if (rest.length > (command === 'import' ? 1 : 0))
    throw new UsageError(`unexpected argument "${rest.at(-1)}"`);

  const config = new AppConfig(validateEnvironment(process.env));
  if (command === 'token') {
    write(`${localToken(config, { ...values, roles: values.role ?? ['ADMIN'] })}\n`);
    return 0;
  }
  if (command === 'migrate') {
    process.stderr.write(`${await migrateDatabase(config)}\n`);
    return 0;
  }
  if (command === 'audit:verify') {
    const outcome = await verifyAudit(config);
    write(outcome.text);
    return outcome.exitCode;
  }

  const { NestFactory } = await import('@nestjs/core');
  const { CliModule } = await import('./cli.module.js');
  const commands = await import('./commands.js');
  const app = await NestFactory.createApplicationContext(CliModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    switch (command) {
      case 'import':
        if (!rest[0]) throw new UsageError('import needs a file: import <file.csv|file.xlsx|file.json>');
        return await commands.importCommand(
          app,
          { file: rest[0], mapping: values.mapping, dryRun: values['dry-run'] ?? false, as: values.as },
          write,
        );
      case 'export':
        if (!values.format) throw new UsageError('export needs --format csv|xlsx|json');
        return await commands.exportCommand(
          app,
          { format: values.format, filters: values.filter ?? [], out: values.out, as: values.as },
          write,
        );
      case 'report':
        return await commands.reportCommand(
          app,
          { from: values.from, to: values.to, format: values.format ?? 'md', out: values.out, as: values.as },
          write,
        );
      default:
        return await commands.seedCommand(app, write);
    }
  } finally {
    await app.close();
  }
}

// A reader that stops early (`| head`) is no error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      const code = (error as { code?: unknown }).code;
      process.stderr.write(
        `knooppunt: ${typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${code}: ` : ''}${reason(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
