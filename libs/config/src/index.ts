export * from './app-config';
export * from './config.service';
export * from './config.module';
