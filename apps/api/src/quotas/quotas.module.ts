import { Module } from '@nestjs/common';
import { PostgresModule, RedisModule } from '@app/platform';
import { TenantsModule } from '../tenants/tenants.module';
import { EmailQuotas } from './email-quotas';

/** The tenants' email quotas (EmailQuotas), over their settings in `tenants.settings` (TenantsModule). */
@Module({
  imports: [PostgresModule, RedisModule, TenantsModule],
  providers: [EmailQuotas],
  exports: [EmailQuotas, TenantsModule],
})
export class QuotasModule {}
