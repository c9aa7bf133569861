export * from './actor';
export * from './errors';
export * from './global-id';
export * from './pagination';
export * from './request-context';
export * from './transaction.service';
export * from './core.module';
export * from './permissions';
