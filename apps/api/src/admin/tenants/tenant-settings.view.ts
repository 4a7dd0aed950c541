import type { TenantSettings } from '@app/tenants';

/** The limits an admin has set for the tenant; an absent one takes the deployment's default. */
export class TenantLimitsView {
  readonly emailsPerMinute?: number;
  readonly emailsPerHour?: number;
  readonly emailsPerDay?: number;
  readonly pendingEmails?: number;
  readonly pendingBytes?: number;
  readonly sendsPerWindow?: number;
  readonly sendsPerWindowPerSender?: number;
}

/** What an admin has set for a tenant. */
export class TenantSettingsView {
  readonly tenantId!: string;
  /** The domains its sender keys may send from (exactly; lower-cased). Empty: its senders cannot send. */
  readonly senderDomains!: string[];
  readonly limits!: TenantLimitsView;
  /** When an admin last changed them; null for a tenant nobody has configured. */
  readonly updatedAt!: string | null;
}

/** `GET /v1/admin/tenants`: every tenant an admin has configured, by id. */
export class TenantSettingsList {
  readonly items!: TenantSettingsView[];
}

export function tenantSettingsView(settings: TenantSettings): TenantSettingsView {
  return {
    tenantId: settings.tenantId,
    senderDomains: [...settings.senderDomains],
    limits: { ...settings.limits },
    updatedAt: settings.updatedAt?.toISOString() ?? null,
  };
}
