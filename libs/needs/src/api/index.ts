export * from './need.types';
export * from './needs-api.module';
export * from './needs.resolver';
