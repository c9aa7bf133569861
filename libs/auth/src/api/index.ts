export * from './auth-api.module';
export * from './user.resolver';
export * from './user.types';
