import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigError, validateEnvironment } from '@app/config';
import { AppModule } from './app.module';
import { migrate } from './migrate';

const USAGE = 'usage: node dist/apps/api/src/main.js [migrate]';

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

async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bodyParser: false });
  app.useBodyParser('json', { limit: config.httpBodyLimit });
  app.enableShutdownHooks();
  await app.listen(config.port);
  new Logger('Knooppunt').log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
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
  if (command === undefined) return serve(config);
  if (command === 'migrate') {
    try {
      await migrate(config);
    } catch (error) {
      fail(`Migration failed: ${reason(error)}`);
    }
    return;
  }
  fail(`Unknown command "${command}"; ${USAGE}`, 2);
}

void main();
