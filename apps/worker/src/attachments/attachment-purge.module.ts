import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { AttachmentStore } from '@app/attachments';
import { EmailStreams } from '@app/email-streams';
import {
  APP_CONFIG,
  EventStoreModule,
  PG_POOL,
  PostgresModule,
  type AppConfig,
} from '@app/platform';
import { AttachmentJanitor } from './attachment-janitor';
import { AttachmentJanitorService } from './attachment-janitor.service';

/** The purge of attachments' bytes after their email's retention (the sender reads them on its own). */
@Module({
  imports: [EventStoreModule, PostgresModule],
  providers: [
    EmailStreams,
    {
      provide: AttachmentStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new AttachmentStore(pool),
    },
    {
      provide: AttachmentJanitor,
      inject: [AttachmentStore, EmailStreams, APP_CONFIG],
      useFactory: (store: AttachmentStore, streams: EmailStreams, config: AppConfig) =>
        new AttachmentJanitor(store, streams, {
          retentionMs: config.attachments.retentionMs,
          intervalMs: config.attachments.purgeIntervalMs,
        }),
    },
    AttachmentJanitorService,
  ],
})
export class AttachmentPurgeModule {}
