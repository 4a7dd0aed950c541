import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventStoreModule, RedisModule } from '@app/platform';
import { ClockModule } from '../clock/clock.module';
import { SEND_QUEUE } from '../queue/send-queue';
import { SchedulerService } from './scheduler.service';

@Module({
  imports: [
    EventStoreModule,
    RedisModule,
    ClockModule,
    BullModule.registerQueue({ name: SEND_QUEUE }),
  ],
  providers: [SchedulerService],
  exports: [SchedulerService],
})
export class SchedulerModule {}
