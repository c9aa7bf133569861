import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { UrgencyRefreshService } from '@app/blockers';
import { AppModule } from './app.module';
import { NestPinoLogger, rootLogger } from './observability/logger';

/** Start the HTTP server (GraphQL at /graphql, health at /health/*) with the validated configuration. */
export async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    // Every log line through pino: JSON lines, or readable ones with LOG_FORMAT=pretty (LOG_LEVEL filters).
    logger: new NestPinoLogger(rootLogger(config)),
  });
  app.useBodyParser('json', { limit: config.httpBodyLimit });
  // Which proxies may name the client in X-Forwarded-For (the per-address rate limit counts clients).
  app.set('trust proxy', config.trustProxy);
  // Answers are POSTed GraphQL results, never revalidated: no ETag (a hash of every response body).
  app.set('etag', false);
  // On SIGTERM/SIGINT: stop taking requests, close the database (and the embedded PostgreSQL), exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(config.port);
  // Scores whose urgency the calendar changed are recomputed now and then on SCORE_REFRESH_INTERVAL_MS.
  app.get(UrgencyRefreshService).start();
  new Logger('Knooppunt').log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
}
