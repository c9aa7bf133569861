export * from './audit-api.module';
export * from './audit.types';
