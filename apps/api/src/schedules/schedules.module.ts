import { Module, type OnModuleInit } from '@nestjs/common';
import { ScheduleStreams } from '@app/email-streams';
import { EventStoreModule, PostgresModule } from '@app/platform';
import { Clock } from '../emails/clock';
import { TenantsModule } from '../tenants/tenants.module';
import { ScheduleHandlers } from './schedule.handlers';
import { SchedulesController } from './schedules.controller';

/**
 * `/v1/schedules`: recurring sends. At start: migrates the `schedules` schema (the worker's runner does too,
 * whichever starts first).
 */
@Module({
  imports: [EventStoreModule, PostgresModule, TenantsModule],
  controllers: [SchedulesController],
  providers: [Clock, ScheduleStreams, ScheduleHandlers],
})
export class SchedulesModule implements OnModuleInit {
  constructor(private readonly handlers: ScheduleHandlers) {}

  onModuleInit(): Promise<void> {
    return this.handlers.migrate();
  }
}
