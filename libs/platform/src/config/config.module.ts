import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './app-config';

/** Injection token of the validated, frozen AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Provides the AppConfig to every module. The config is parsed in `main.ts` before Nest starts
 * (so a bad value exits with a plain message instead of a Nest stack trace) and handed in here;
 * tests hand in `parseConfig({...})` of an explicit environment.
 */
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
