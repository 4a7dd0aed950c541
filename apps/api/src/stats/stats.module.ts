import { Module } from '@nestjs/common';
import { EventStoreModule, PostgresModule } from '@app/platform';
import { QuotasModule } from '../quotas/quotas.module';
import { StatsController } from './stats.controller';
import { GetStatsHandler } from './stats.handler';

/** Counts, hourly sends and lateness from the read model: `/v1/stats` here, `/v1/admin/stats` in admin. */
@Module({
  imports: [PostgresModule, EventStoreModule, QuotasModule],
  controllers: [StatsController],
  providers: [GetStatsHandler],
})
export class StatsModule {}
