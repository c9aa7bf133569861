import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnalyticsIndex } from '@app/analytics';

/** Liveness and readiness for orchestrators; the only routes that answer without a token. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly analytics: AnalyticsIndex,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready: the database answers and the analytics index is built (ADR 10). */
  @Get('ready')
  async ready(): Promise<{ status: string; database: string; analytics: string }> {
    const analytics = this.analytics.ready ? 'ready' : 'building';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable', database: 'down', analytics });
    }
    if (!this.analytics.ready)
      throw new ServiceUnavailableException({ status: 'unavailable', database: 'up', analytics });
    return { status: 'ok', database: 'up', analytics };
  }
}
