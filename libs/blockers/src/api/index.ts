export * from './blocker.loaders';
export * from './blocker.types';
export * from './blockers-api.module';
