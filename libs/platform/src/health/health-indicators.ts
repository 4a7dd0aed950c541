import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@app/event-store';
import type { Pool } from 'pg';
import { EVENT_STORE } from '../event-store/event-store.module';
import { PG_POOL } from '../postgres/postgres.module';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.module';
import { errorMessage } from '../logging/error-message';
import { probeEventStore, probePostgres, probeRedis } from './probes';

const logger = new Logger('Health');

/**
 * Up or down by name only: readiness is public (load balancers ask without a key), and a driver's
 * error names hosts, addresses and ports. The error itself goes to the log.
 */
async function indicate<const Key extends string>(
  indicators: HealthIndicatorService,
  key: Key,
  probe: () => Promise<void>,
): Promise<HealthIndicatorResult<Key>> {
  const indicator = indicators.check(key);
  try {
    await probe();
    return indicator.up();
  } catch (error) {
    logger.warn(`${key} is down: ${errorMessage(error)}`);
    return indicator.down();
  }
}

/** `SELECT 1` on the shared pool. Needs PostgresModule and TerminusModule. */
@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    return indicate(this.indicators, key, () => probePostgres(this.pool));
  }
}

/** PING on the shared client. Needs RedisModule and TerminusModule. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
  ) {}

  isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    return indicate(this.indicators, key, () => probeRedis(this.client));
  }
}

/** The email category's head position can be read. Needs EventStoreModule and TerminusModule. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    return indicate(this.indicators, key, () => probeEventStore(this.store));
  }
}
