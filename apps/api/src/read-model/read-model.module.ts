import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { EventStoreModule, PG_POOL, PostgresModule } from '@app/platform';
import { migrateReadModel } from '@app/read-model';
import type { Pool } from 'pg';
import { MetricsModule } from '../metrics/metrics.module';
import { ProjectionCheckpoint } from './projection-checkpoint';
import { ProjectionLagMetrics } from './projection-lag.metrics';

/**
 * The api's side of the read model (`@app/read-model`'s views): read-your-writes waits on the
 * projection's checkpoint and the projection lag gauges. Applies the read model's migrations at
 * start, so its views exist before any projector has run.
 */
@Module({
  imports: [PostgresModule, EventStoreModule, MetricsModule],
  providers: [ProjectionCheckpoint, ProjectionLagMetrics],
  exports: [ProjectionCheckpoint],
})
export class ReadModelModule implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateReadModel(this.pool);
  }
}
