import { unconfiguredTenant, type TenantLimits, type TenantSettings } from '@app/tenants';
import { TenantSendRates, type TenantSettingsReader } from './tenant-send-rates';

class Settings implements TenantSettingsReader {
  reads = 0;
  limits: TenantLimits = {};
  failure: Error | undefined;

  get(tenantId: string): Promise<TenantSettings> {
    this.reads += 1;
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve({ ...unconfiguredTenant(tenantId), limits: this.limits });
  }
}

describe('TenantSendRates', () => {
  const defaults = { sendsPerWindow: 100, sendsPerWindowPerSender: 10 };
  let now = 0;
  let settings: Settings;
  let rates: TenantSendRates;
  beforeEach(() => {
    now = 0;
    settings = new Settings();
    rates = new TenantSendRates(settings, defaults, 30_000, () => now);
  });

  it("takes an admin's override over the default, one by one", async () => {
    settings.limits = { sendsPerWindow: 7 };
    expect(await rates.get('acme')).toEqual({ perTenant: 7, perSender: 10 });
  });

  it('reads a tenant once per cache period', async () => {
    await rates.get('acme');
    settings.limits = { sendsPerWindowPerSender: 1 };
    now = 29_999;
    expect(await rates.get('acme')).toEqual({ perTenant: 100, perSender: 10 });
    now = 30_000;
    expect(await rates.get('acme')).toEqual({ perTenant: 100, perSender: 1 });
    expect(settings.reads).toBe(2);
  });

  it('unreadable settings (no table yet): the last known rates, else the defaults', async () => {
    settings.failure = new Error('relation "tenants.settings" does not exist');
    expect(await rates.get('new')).toEqual({ perTenant: 100, perSender: 10 });
    settings.failure = undefined;
    settings.limits = { sendsPerWindow: 3 };
    now = 30_000;
    expect(await rates.get('new')).toEqual({ perTenant: 3, perSender: 10 });
    settings.failure = new Error('connection refused');
    now = 60_000;
    expect(await rates.get('new')).toEqual({ perTenant: 3, perSender: 10 });
  });
});
