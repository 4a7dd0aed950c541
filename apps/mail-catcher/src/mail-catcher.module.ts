import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { CaughtMailStore } from '@app/caught-mail';
import { type AppConfig, ProcessModule, PG_POOL, PostgresModule } from '@app/platform';
import { SmtpCatcher } from './smtp-catcher';

/** The local SMTP catcher: smtp-server on loopback, every accepted message kept in Postgres. */
@Module({})
export class MailCatcherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MailCatcherModule,
      imports: [ProcessModule.forRoot(config, 'mail-catcher'), PostgresModule],
      providers: [
        {
          provide: CaughtMailStore,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => new CaughtMailStore(pool),
        },
        SmtpCatcher,
      ],
    };
  }
}
