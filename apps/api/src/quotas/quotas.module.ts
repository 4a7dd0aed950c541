import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PostgresModule, RedisModule } from '@app/platform';
import { TenantsRepository } from '@app/tenants';
import { EmailQuotas } from './email-quotas';

/**
 * The tenants' email quotas (EmailQuotas), over their settings in `tenants.settings`, whose schema the api
 * creates at its start.
 */
@Module({
  imports: [PostgresModule, RedisModule],
  providers: [
    EmailQuotas,
    {
      provide: TenantsRepository,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new TenantsRepository(pool),
    },
  ],
  exports: [EmailQuotas, TenantsRepository],
})
export class QuotasModule implements OnModuleInit {
  constructor(@Inject(TenantsRepository) private readonly tenants: TenantsRepository) {}

  async onModuleInit(): Promise<void> {
    await this.tenants.migrate();
  }
}
