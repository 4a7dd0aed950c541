import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { EmailStreams } from '@app/email-streams';
import { EventStoreModule, PG_POOL, PostgresModule } from '@app/platform';
import { WebhookReplay } from './webhook-replay';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/**
 * `/v1/webhooks`: endpoints, their delivery log, retries, replays and tests (`webhooks` schema); the
 * dispatcher sends what is queued here. At start: migrates the `webhooks` schema, as TenantsModule migrates
 * `tenants`.
 */
@Module({
  imports: [PostgresModule, EventStoreModule],
  controllers: [WebhooksController],
  providers: [
    {
      provide: WebhooksRepository,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new WebhooksRepository(pool),
    },
    EmailStreams,
    WebhookReplay,
  ],
})
export class WebhooksModule implements OnModuleInit {
  constructor(private readonly endpoints: WebhooksRepository) {}

  onModuleInit(): Promise<void> {
    return this.endpoints.migrate();
  }
}
