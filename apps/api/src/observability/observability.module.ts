import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { rootLogger } from './logger';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { ROOT_LOGGER } from './observability.tokens';

/** Logs and metrics: the pino logger, the Prometheus registry and GET /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: ROOT_LOGGER, inject: [AppConfig], useFactory: rootLogger }],
  exports: [MetricsService, ROOT_LOGGER],
})
export class ObservabilityModule {}
