import type { Pool } from 'pg';
import { migrateSchema } from '@app/schema-migrations';
import {
  TENANT_LIMIT_NAMES,
  type TenantLimits,
  type TenantSettings,
  unconfiguredTenant,
} from './tenant-settings';
import { TENANTS_MIGRATIONS, TENANTS_SCHEMA } from './tenants.migrations';

interface SettingsRow {
  tenant_id: string;
  sender_domains: string[];
  limits: Record<string, unknown>;
  updated_at: Date;
}

function toSettings(row: SettingsRow): TenantSettings {
  const limits: Partial<Record<keyof TenantLimits, number>> = {};
  for (const name of TENANT_LIMIT_NAMES) {
    const value = row.limits[name];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
      limits[name] = value;
  }
  return {
    tenantId: row.tenant_id,
    senderDomains: row.sender_domains,
    limits,
    updatedAt: row.updated_at,
  };
}

/** `tenants.settings` in Postgres: no cache here, so a change holds from the next read on. */
export class TenantsRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates or updates the schema; the api runs it at start. */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, TENANTS_SCHEMA, TENANTS_MIGRATIONS);
  }

  async get(tenantId: string): Promise<TenantSettings> {
    const { rows } = await this.pool.query<SettingsRow>(
      `SELECT tenant_id, sender_domains, limits, updated_at FROM tenants.settings WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    return row ? toSettings(row) : unconfiguredTenant(tenantId);
  }

  async list(): Promise<TenantSettings[]> {
    const { rows } = await this.pool.query<SettingsRow>(
      `SELECT tenant_id, sender_domains, limits, updated_at FROM tenants.settings ORDER BY tenant_id`,
    );
    return rows.map(toSettings);
  }

  /** Replaces the tenant's sender domains (already validated and lower-cased); returns the settings. */
  async putSenderDomains(tenantId: string, domains: readonly string[]): Promise<TenantSettings> {
    const { rows } = await this.pool.query<SettingsRow>(
      `INSERT INTO tenants.settings (tenant_id, sender_domains) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET sender_domains = EXCLUDED.sender_domains, updated_at = now()
       RETURNING tenant_id, sender_domains, limits, updated_at`,
      [tenantId, [...domains]],
    );
    return toSettings(rows[0] as SettingsRow);
  }

  /** Replaces the tenant's limit overrides (already validated); returns the settings. */
  async putLimits(tenantId: string, limits: TenantLimits): Promise<TenantSettings> {
    const { rows } = await this.pool.query<SettingsRow>(
      `INSERT INTO tenants.settings (tenant_id, limits) VALUES ($1, $2::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET limits = EXCLUDED.limits, updated_at = now()
       RETURNING tenant_id, sender_domains, limits, updated_at`,
      [tenantId, JSON.stringify(limits)],
    );
    return toSettings(rows[0] as SettingsRow);
  }
}
