import { BullModule } from '@nestjs/bullmq';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { AttachmentStore } from '@app/attachments';
import { DEFAULT_RELAY_CIRCUIT_POLICY } from '@app/domain';
import { EmailStreams } from '@app/email-streams';
import {
  APP_CONFIG,
  EventStoreModule,
  MetricsRegistryModule,
  PG_POOL,
  PostgresModule,
  RedisModule,
  type AppConfig,
  SEND_QUEUE,
} from '@app/platform';
import { RedisClockModule } from '../clock/redis-clock.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { newWorkerId, WORKER_ID } from '../worker-identity';
import { EmailSender, leaseBudget } from './email-sender.service';
import {
  createSmtpTransport,
  mailCatcherUrl,
  MAIL_TRANSPORT,
  type MailTransport,
} from './mail-transport';
import { BREAKER_OPTIONS, RelayCircuit } from './relay-circuit';
import { SendGate } from './send-gate';
import { SendJobLocks } from './send-job-locks';
import { SendSlots } from './send-slots';
import { ClockSkewGuard } from './clock-skew-guard';
import { SendProcessor } from './send.processor';
import { SenderMetrics } from './sender.metrics';

@Module({
  imports: [
    EventStoreModule,
    PostgresModule,
    RedisModule,
    RedisClockModule,
    MetricsRegistryModule,
    RateLimitModule,
    BullModule.registerQueue({ name: SEND_QUEUE }),
  ],
  providers: [
    EmailStreams,
    {
      provide: AttachmentStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new AttachmentStore(pool),
    },
    { provide: WORKER_ID, useFactory: newWorkerId },
    { provide: BREAKER_OPTIONS, useValue: DEFAULT_RELAY_CIRCUIT_POLICY },
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailTransport =>
        createSmtpTransport({
          url: config.smtpUrl ?? mailCatcherUrl(config.mailCatcherPort),
          poolSize: config.smtpPoolSize,
          leaseMs: config.workerLeaseMs,
        }),
    },
    {
      provide: SendSlots,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SendSlots =>
        new SendSlots(config.smtpPoolSize, leaseBudget(config.workerLeaseMs).finalDotMs),
    },
    SendJobLocks,
    SendGate,
    ClockSkewGuard,
    RelayCircuit,
    EmailSender,
    SendProcessor,
    SenderMetrics,
  ],
})
export class SenderModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
