import { Module } from '@nestjs/common';
import { BlockersModule } from '@app/blockers';
import { AnalyticsService } from './analytics.service';

/** Graph questions, statistics and the progress report, without the GraphQL layer. */
@Module({ imports: [BlockersModule], providers: [AnalyticsService], exports: [AnalyticsService] })
export class AnalyticsModule {}
