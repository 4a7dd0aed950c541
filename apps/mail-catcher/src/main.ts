import { PG_POOL, bootstrapApplicationContext, probePostgres } from '@app/platform';
import type { Pool } from 'pg';
import { MailCatcherModule } from './mail-catcher.module';
import { SmtpCatcher } from './smtp-catcher';

const BOOT_PROBE_TIMEOUT_MS = 10_000;

void bootstrapApplicationContext({
  name: 'mail-catcher',
  module: (config) => MailCatcherModule.forRoot(config),
  verify: async (app) => {
    await probePostgres(app.get<Pool>(PG_POOL), BOOT_PROBE_TIMEOUT_MS);
    // Its schema's migrations, then the SMTP listener on 127.0.0.1:MAIL_CATCHER_PORT.
    await app.get(SmtpCatcher).start();
  },
});
