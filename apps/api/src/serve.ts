import { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { UrgencyRefreshService } from '@app/blockers';
import { AppModule } from './app.module';
import { serveGraphQLPosts } from './graphql/graphql-endpoint';
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
  // Answers are POSTed GraphQL results, never revalidated: no ETag (a hash of every response body).
  app.set('etag', false);
  app.disable('x-powered-by');
  await app.init();
  // With tracing, every request goes through Express, whose instrumentation names the route.
  if (!tracing) serveGraphQLPosts(app, config);
  stopGracefully(app, config.shutdownTimeoutMs);
  await app.listen(config.port);
  // Scores whose urgency the calendar changed are recomputed now and then on SCORE_REFRESH_INTERVAL_MS.
  app.get(UrgencyRefreshService).start();
  new Logger('Knooppunt').log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
}

/**
 * On SIGTERM or SIGINT: stop accepting connections at once, let the HTTP requests in flight finish,
 * then close the rest (subscriptions, the database pool, the embedded PostgreSQL) and exit 0. When
 * that takes longer than `timeoutMs`, the process exits 1 and says how many requests it cut off.
 * (Nest's own shutdown hooks set no time limit, and close the listener only after destroying the
 * modules.)
 */
function stopGracefully(app: INestApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const server = app.getHttpServer() as Server;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  // WebSocket upgrades are no `request`: subscriptions are closed by app.close().
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(
      `${signal}: no new connections; ${inFlight} request(s) in flight, waiting up to ${timeoutMs} ms`,
    );
    const deadline = setTimeout(() => {
      logger.error(
        `shutdown took longer than SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); ${inFlight} request(s) cut off`,
      );
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    // Stops listening (new connections are refused) and closes idle keep-alive connections.
    server.close();
    if (inFlight > 0) await new Promise<void>((done) => (drained = done));
    server.closeAllConnections();
    try {
      await app.close();
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
    clearTimeout(deadline);
    logger.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
}
