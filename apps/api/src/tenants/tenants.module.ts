import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PostgresModule } from '@app/platform';
import { TenantsRepository } from '@app/tenants';

/**
 * What an admin sets per tenant (`tenants.settings`), for the modules that enforce or edit it. At start:
 * migrates the `tenants` schema, as AuthModule migrates `auth`.
 */
@Module({
  imports: [PostgresModule],
  providers: [
    {
      provide: TenantsRepository,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new TenantsRepository(pool),
    },
  ],
  exports: [TenantsRepository],
})
export class TenantsModule implements OnModuleInit {
  constructor(private readonly tenants: TenantsRepository) {}

  onModuleInit(): Promise<void> {
    return this.tenants.migrate();
  }
}
