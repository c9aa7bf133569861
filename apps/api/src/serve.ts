import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { AppModule } from './app.module';

/** Nest's log levels shown for each LOG_LEVEL. */
const LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Start the HTTP server (GraphQL at /graphql, health at /health/*) with the validated configuration. */
export async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    logger: LOG_LEVELS[config.logLevel],
  });
  app.useBodyParser('json', { limit: config.httpBodyLimit });
  // On SIGTERM/SIGINT: stop taking requests, close the database (and the embedded PostgreSQL), exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(config.port);
  new Logger('Knooppunt').log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
}
