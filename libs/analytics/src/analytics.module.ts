import { Module } from '@nestjs/common';
import { BlockersModule } from '@app/blockers';
import { AnalyticsIndex } from './analytics-index.service';
import { AnalyticsService } from './analytics.service';

/** Graph questions, statistics and the progress report, without the GraphQL layer. */
@Module({
  imports: [BlockersModule],
  providers: [AnalyticsIndex, AnalyticsService],
  exports: [AnalyticsService, AnalyticsIndex],
})
export class AnalyticsModule {}
