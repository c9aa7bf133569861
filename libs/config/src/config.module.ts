import { DynamicModule, Global, Module } from '@nestjs/common';
import { validateEnvironment } from './app-config';
import { AppConfig } from './config.service';

@Global()
@Module({})
export class ConfigModule {
  /** Validate the environment (or the given overrides, for tests and tools) and provide AppConfig. */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    const config = new AppConfig(validateEnvironment({ ...process.env, ...overrides }));
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
