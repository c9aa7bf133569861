export * from './provider.loaders';
export * from './provider.types';
export * from './providers-api.module';
