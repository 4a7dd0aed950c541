import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, LoggingModule } from '@app/platform';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot({ name: 'api' }), HealthModule],
    };
  }
}
