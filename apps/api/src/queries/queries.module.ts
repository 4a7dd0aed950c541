import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { EventStoreModule, PG_POOL, PostgresModule } from '@app/platform';
import { migrateReadModel } from '@app/read-model';
import type { Pool } from 'pg';
import { MetricsModule } from '../metrics/metrics.module';
import { AdminController } from './admin/admin.controller';
import { ListEmailsHandler } from './admin/list-emails.handler';
import { ListProjectionsHandler, RequestRebuildHandler } from './admin/projections.queries';
import { GetStatsHandler } from './admin/stats.handler';
import { GetEmailHandler } from './get-email.handler';
import { ProjectionCheckpoint } from './projection-checkpoint';
import { ProjectionLagMetrics } from './projection-lag.metrics';
import { TenantQueriesController } from './tenant/tenant-queries.controller';

/**
 * The query half of the api, over the read model (`@app/read-model`'s views): `GET /v1/emails/:id`
 * (routed by the emails controller), `/v1/admin/{emails,stats,projections}`, the same list and
 * stats for the caller's tenant (`/v1/emails`, `/v1/stats`), and the projection
 * lag gauges. Applies the read model's migrations at start, so its views exist before any
 * projector has run.
 */
@Module({
  // The CQRS buses are global: EmailsModule imports CqrsModule.forRoot().
  imports: [PostgresModule, EventStoreModule, MetricsModule],
  controllers: [AdminController, TenantQueriesController],
  providers: [
    ProjectionCheckpoint,
    ProjectionLagMetrics,
    GetEmailHandler,
    ListEmailsHandler,
    GetStatsHandler,
    ListProjectionsHandler,
    RequestRebuildHandler,
  ],
})
export class QueriesModule implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateReadModel(this.pool);
  }
}
