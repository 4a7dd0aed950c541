import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { type AppConfig, ProcessModule } from '@app/platform';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BatchesModule } from './batches/batches.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { EmailsModule } from './emails/emails.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SchedulesModule } from './schedules/schedules.module';
import { StatsModule } from './stats/stats.module';
import { TemplatesModule } from './templates/templates.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ProcessModule.forRoot(config, 'api'),
        // The command and query buses, once for every module's handlers.
        CqrsModule.forRoot(),
        AuthModule,
        HealthModule,
        MetricsModule,
        EmailsModule,
        SchedulesModule,
        BatchesModule,
        StatsModule,
        AdminModule,
        WebhooksModule,
        TemplatesModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
