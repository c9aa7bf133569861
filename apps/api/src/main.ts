import 'reflect-metadata';
import { ConfigError, validateEnvironment } from '@app/config/app-config';
import { AppConfig } from '@app/config/config.service';

// Only the configuration is loaded up front, so that a bad value is reported at once rather than after
// NestJS, Apollo and TypeORM have loaded; the command's own module is imported once the configuration is
// valid. (Those are CommonJS files of ours: an import() of the ES-module packages themselves would race
// with the require() calls that load them elsewhere, which Node 20 does not survive.)

const USAGE = 'usage: node dist/apps/api/src/main.js [migrate | audit:verify]';

/** Stop with one readable line on stderr. */
function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** The first line of an error's message, or its code (a refused connection may have no message). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return error.message.split('\n')[0] || code || error.name;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = new AppConfig(validateEnvironment(process.env));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const command = process.argv[2];
  if (command === undefined) {
    try {
      // Tracing first (only when configured): it must patch http, graphql and pg before they load.
      const { startTracing } = await import('./tracing.js');
      const tracing = startTracing(config);
      const { serve } = await import('./serve.js');
      return await serve(config, tracing);
    } catch (error) {
      fail(`The server did not start: ${reason(error)}`);
    }
  }
  if (command === 'migrate') {
    try {
      const { migrate } = await import('./commands.js');
      await migrate(config);
    } catch (error) {
      fail(`Migration failed: ${reason(error)}`);
    }
    return;
  }
  if (command === 'audit:verify') {
    try {
      const { auditVerify } = await import('./commands.js');
      process.exitCode = await auditVerify(config);
    } catch (error) {
      fail(`Audit verification failed: ${reason(error)}`);
    }
    return;
  }
  fail(`Unknown command "${command}"; ${USAGE}`, 2);
}

void main();
