import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { CaughtMailStore } from '@app/caught-mail';
import { PG_POOL, PostgresModule } from '@app/platform';
import { OutboxController } from './outbox.controller';

/** `GET /v1/admin/outbox`: reads the mail catcher's `mail_catcher.messages` (never writes it). */
@Module({
  imports: [PostgresModule],
  controllers: [OutboxController],
  providers: [
    {
      provide: CaughtMailStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new CaughtMailStore(pool),
    },
  ],
})
export class OutboxModule {}
