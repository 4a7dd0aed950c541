import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config';
import { errorMessage } from '../logging/error-message';

/** Injection token of the shared `pg.Pool`. */
export const PG_POOL = Symbol('PG_POOL');

export function createPostgresPool(databaseUrl: string, logger: Logger): Pool {
  // keepAlive: a connection whose server vanished (a failover) errors in minutes, not at TCP's retry limit.
  const pool = new Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
  });
  // An idle client losing its connection emits here; unhandled, it would crash the process.
  pool.on('error', (error) => logger.warn(`Postgres idle client: ${errorMessage(error)}`));
  // A checked-out client losing it between queries (inside a transaction, say) emits on itself, where the
  // pool does not listen: its holder's next query fails and the pool drops it on release, so a log is all
  // that is left to do here.
  pool.on('connect', (client) =>
    client.on('error', (error) => logger.warn(`Postgres client: ${errorMessage(error)}`)),
  );
  return pool;
}

/** One `pg.Pool` on DATABASE_URL, ended on shutdown. */
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createPostgresPool(config.databaseUrl, new Logger('Postgres')),
    },
  ],
  exports: [PG_POOL],
})
export class PostgresModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
