export * from './analytics.module';
export * from './analytics-index.service';
export * from './analytics.service';
export * from './domain/blocker-graph';
export * from './domain/impact';
export * from './domain/report';
