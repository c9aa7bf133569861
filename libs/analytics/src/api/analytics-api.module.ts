import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics.module';
import { AnalyticsResolver } from './analytics.resolver';

@Module({ imports: [AnalyticsModule], providers: [AnalyticsResolver] })
export class AnalyticsApiModule {}
