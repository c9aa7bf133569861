import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { MetricsService } from './metrics.service';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus's text format. Answers without a token unless METRICS_TOKEN is set;
 * METRICS_ENABLED=false turns it off (404).
 */
@Controller()
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { enabled, token } = this.config.metrics;
    if (!enabled) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    if (
      token !== undefined &&
      !timingSafeEqual(digest(req.headers.authorization ?? ''), digest(`Bearer ${token}`))
    ) {
      res.status(401).setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.type('text/plain').send('Unauthorized');
      return;
    }
    res.setHeader('content-type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
