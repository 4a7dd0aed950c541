// A tenant's send rates for the limiter: an admin's overrides from `tenants.settings` over the configured
// defaults, each tenant's read cached for TENANT_SETTINGS_CACHE_MS, so a change reaches every worker within
// that time and a burst of sends costs one Postgres read per tenant, not one per send.
import { Logger } from '@nestjs/common';
import type { TenantLimitDefaults } from '@app/platform';
import type { TenantSettings } from '@app/tenants';
import type { TenantRates } from './send-rate-limiter';

/** How long a worker keeps a tenant's limits before it reads them again. */
export const TENANT_SETTINGS_CACHE_MS = 30_000;

/** The read it needs of TenantsRepository. */
export interface TenantSettingsReader {
  get(tenantId: string): Promise<TenantSettings>;
}

interface Cached {
  readonly rates: TenantRates;
  readonly until: number;
}

export class TenantSendRates {
  private readonly logger = new Logger('TenantSendRates');
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly settings: TenantSettingsReader,
    private readonly defaults: Pick<
      TenantLimitDefaults,
      'sendsPerWindow' | 'sendsPerWindowPerSender'
    >,
    private readonly ttlMs = TENANT_SETTINGS_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(tenantId: string): Promise<TenantRates> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > this.now()) return cached.rates;
    let rates: TenantRates;
    try {
      const { limits } = await this.settings.get(tenantId);
      rates = {
        perSender: limits.sendsPerWindowPerSender ?? this.defaults.sendsPerWindowPerSender,
        perTenant: limits.sendsPerWindow ?? this.defaults.sendsPerWindow,
      };
    } catch (error) {
      // The table may not exist yet (the api creates it at its start) or Postgres may be briefly away:
      // sending goes on under the last rates known, else the defaults, and the read is tried again later.
      this.logger.warn(
        `tenant ${tenantId}: limits not readable (${(error as Error).message}); using ${cached ? 'the last known' : 'the default'} send rates`,
      );
      rates = cached?.rates ?? {
        perSender: this.defaults.sendsPerWindowPerSender,
        perTenant: this.defaults.sendsPerWindow,
      };
    }
    this.cache.set(tenantId, { rates, until: this.now() + this.ttlMs });
    return rates;
  }
}
