import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { AppModule } from './app.module';
import { NestPinoLogger, rootLogger } from './observability/logger';
import type { Tracing } from './tracing';

/** Start the HTTP server (GraphQL at /graphql, health at /health/*) with the validated configuration. */
export async function serve(config: AppConfig, tracing: Tracing | null = null): Promise<void> {
  const root = AppModule.forRoot();
  if (tracing) {
    // The spans still buffered are exported when the application shuts down.
    const flush = { onApplicationShutdown: () => tracing.shutdown() };
    root.providers = [...(root.providers ?? []), { provide: 'TRACING_SHUTDOWN', useValue: flush }];
  }
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bodyParser: false,
    // Every log line through pino: JSON lines, or readable ones with LOG_FORMAT=pretty (LOG_LEVEL filters).
    logger: new NestPinoLogger(rootLogger(config)),
  });
  app.useBodyParser('json', { limit: config.httpBodyLimit });
  // Which proxies may name the client in X-Forwarded-For (the per-address rate limit counts clients).
  app.set('trust proxy', config.trustProxy);
  // On SIGTERM/SIGINT: stop taking requests, close the database (and the embedded PostgreSQL), exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(config.port);
  new Logger('Knooppunt').log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
}
