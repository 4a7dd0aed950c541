import { Controller, Get } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import {
  EventStoreHealthIndicator,
  PostgresHealthIndicator,
  RedisHealthIndicator,
} from '@app/platform';
import { Public } from '../auth/auth.decorators';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** 200 for as long as the process can answer at all. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when Postgres, Redis and the event store all answer; 503 naming the ones that do not. */
  @Get('ready')
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.postgres.isHealthy('postgres'),
      () => this.redis.isHealthy('redis'),
      () => this.eventStore.isHealthy('eventStore'),
    ]);
  }
}
