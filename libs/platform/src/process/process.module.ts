import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '../config';
import { LoggingModule } from '../logging';

/**
 * What every process of the service has, first in its root module: the validated config (global)
 * and its logger, every line named for the process (api, worker, projector, mail-catcher).
 */
@Module({})
export class ProcessModule {
  static forRoot(config: AppConfig, name: string): DynamicModule {
    return {
      module: ProcessModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot({ name })],
      exports: [ConfigModule, LoggingModule],
    };
  }
}
