import { Module } from '@nestjs/common';
import { EventStoreModule, PostgresModule } from '@app/platform';
import { AuthModule } from '../auth/auth.module';
import { QuotasModule } from '../quotas/quotas.module';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AdminEmailsController } from './emails/admin-emails.controller';
import { OutboxModule } from './outbox/outbox.module';
import { ProjectionsController } from './projections/projections.controller';
import { ListProjectionsHandler, RequestRebuildHandler } from './projections/projections.handlers';
import { AdminStatsController } from './stats/admin-stats.controller';
import { SenderDomainsController } from './tenants/sender-domains.controller';
import { TenantLimitsController } from './tenants/tenant-limits.controller';

/**
 * `/v1/admin`, admin keys only (a sender key gets 403): every tenant's emails and stats (the
 * handlers of the emails and stats modules, over the query bus), the projections and their
 * rebuilds, API keys, tenants' sender domains and limits, and the mail catcher's outbox.
 */
@Module({
  imports: [AuthModule, PostgresModule, EventStoreModule, OutboxModule, QuotasModule],
  controllers: [
    AdminEmailsController,
    AdminStatsController,
    ProjectionsController,
    ApiKeysController,
    SenderDomainsController,
    TenantLimitsController,
  ],
  providers: [ListProjectionsHandler, RequestRebuildHandler],
})
export class AdminModule {}
