export * from './analytics-api.module';
export * from './analytics.types';
