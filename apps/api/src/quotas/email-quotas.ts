// The tenant's email quotas, checked before anything is appended: emails per calendar minute, hour and day
// (UTC), counted in emails, in Redis, atomically across every api process; and its pending emails and bytes,
// from the read model's per-tenant counts (kept by the projector in the transaction of its rows).
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  APP_CONFIG,
  PG_POOL,
  REDIS_CLIENT,
  errorMessage,
  type AppConfig,
  type RedisClient,
} from '@app/platform';
import { READ_MODEL_VIEWS, contentBytes } from '@app/read-model';
import { TenantsRepository, type TenantLimitName, type TenantLimits } from '@app/tenants';
import { ADMIN_TENANT } from '../auth/principal';
import { QuotaExceededError } from './quota-exceeded.error';

/** The calendar windows, in the order the script checks them (the first one over is the one named). */
const WINDOWS = [
  { limit: 'emailsPerMinute', key: 'm', ms: 60_000 },
  { limit: 'emailsPerHour', key: 'h', ms: 3_600_000 },
  { limit: 'emailsPerDay', key: 'd', ms: 86_400_000 },
] as const satisfies readonly { limit: TenantLimitName; key: string; ms: number }[];

/**
 * Checks every window and takes n from all, or takes nothing and names the first window over.
 * KEYS: the minute, hour and day counters. ARGV: 1 n, then per window its limit (0 = unlimited) and the
 * counter's time to live in ms. Returns { 0 } or { index of the window over (1-based), its count }.
 */
const RESERVE_LUA = `
local n = tonumber(ARGV[1])
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  if limit > 0 then
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if used + n > limit then return { i, used } end
  end
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], n)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i + 1]))
end
return { 0, 0 }
`;

/** Gives back n to the counters that still exist (a window that has ended needs nothing back). */
const REFUND_LUA = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECRBY', KEYS[i], ARGV[1]) end
end
return 0
`;

/**
 * How long a write waits for Redis before it goes on without the window quotas. The shared client queues
 * commands while Redis is away (it never gives up on one), so without a bound a write would hang; the api keeps
 * serving instead, as its request rate limit does, and the queued reservation counts once Redis is back (on
 * the strict side).
 */
export const QUOTA_REDIS_WAIT_MS = 1_000;

/** How long a refused write over a pending quota is told to wait: about the projector's usual catch-up. */
export const PENDING_RETRY_AFTER_SECONDS = 60;

/** Emails taken from the window counters by one write; what it did not append goes back. */
export interface QuotaReservation {
  readonly keys: readonly string[];
  readonly count: number;
}

/** One limit as `GET /v1/stats` shows it. */
export interface LimitUsage {
  readonly name: TenantLimitName;
  readonly value: number;
  readonly overridden: boolean;
  readonly used: number | null;
  readonly remaining: number | null;
  readonly resetsAt: string | null;
}

interface Pending {
  readonly emails: number;
  readonly bytes: number;
}

/** The counters' hash tag keeps a tenant's three windows in one Redis Cluster slot, for the script. */
const windowKey = (tenantId: string, key: string, index: number): string =>
  `{quota:${tenantId}}:${key}:${index}`;

@Injectable()
export class EmailQuotas {
  private readonly logger = new Logger('EmailQuotas');

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsRepository,
  ) {}

  /** The tenant's limits: its overrides over the configured defaults. */
  async limits(
    tenantId: string,
  ): Promise<{ effective: Required<TenantLimits>; own: TenantLimits }> {
    const { limits } = await this.tenants.get(tenantId);
    return { effective: { ...this.config.tenantLimits, ...limits }, own: limits };
  }

  /**
   * Takes `contents.length` emails from the tenant's quotas, or throws QuotaExceededError naming the
   * binding limit, taking nothing. The `admin` tenant (admin keys) is exempt: admins are trusted operators.
   */
  async reserve(
    tenantId: string,
    contents: readonly {
      readonly subject: string;
      readonly text?: string;
      readonly html?: string;
    }[],
    nowMs = Date.now(),
  ): Promise<QuotaReservation | undefined> {
    const count = contents.length;
    if (count === 0 || tenantId === ADMIN_TENANT) return undefined;
    const { effective } = await this.limits(tenantId);
    await this.checkPending(tenantId, effective, count, contents);
    const keys = WINDOWS.map((w) => windowKey(tenantId, w.key, Math.floor(nowMs / w.ms)));
    const args = [count];
    for (const w of WINDOWS) args.push(effective[w.limit], windowEnd(w.ms, nowMs) - nowMs + 60_000);
    const reply = await this.answerWithin(
      this.redis.eval(RESERVE_LUA, keys.length, ...keys, ...args.map(String)),
    );
    if (reply === undefined) return undefined;
    const [over, used] = reply as [number, number];
    const window = WINDOWS[over - 1];
    if (window) {
      throw new QuotaExceededError({
        limit: window.limit,
        limitValue: effective[window.limit],
        used: Number(used),
        requested: count,
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnd(window.ms, nowMs) - nowMs) / 1000)),
      });
    }
    return { keys, count };
  }

  /** Gives back what a write reserved and did not append (refused items, idempotent repeats, failures). */
  async release(reservation: QuotaReservation | undefined, appended: number): Promise<void> {
    const back = reservation ? reservation.count - appended : 0;
    if (!reservation || back <= 0) return;
    // After the append: a refund that cannot be made must neither hold nor fail the write it follows (the
    // tenant is then counted for emails it did not schedule, until the window ends).
    const refund = this.redis
      .eval(REFUND_LUA, reservation.keys.length, ...reservation.keys, String(back))
      .catch((error: unknown) => {
        this.logger.warn(`quota refund of ${back} emails failed: ${errorMessage(error)}`);
        return null;
      });
    await this.answerWithin(refund, `Redis did not answer: a quota refund of ${back} emails waits`);
  }

  /** Every limit of the tenant: its value, what is used, what remains, when the window resets. */
  async usage(tenantId: string, nowMs = Date.now()): Promise<LimitUsage[]> {
    const { effective, own } = await this.limits(tenantId);
    // Undefined while Redis does not answer: the windows' usage is then unknown (null).
    const counts = await this.answerWithin(
      this.redis.mget(...WINDOWS.map((w) => windowKey(tenantId, w.key, Math.floor(nowMs / w.ms)))),
    );
    const pending = await this.pending(tenantId);
    const row = (
      name: TenantLimitName,
      used: number | null,
      resetsAt: number | null,
    ): LimitUsage => {
      const value = effective[name];
      return {
        name,
        value,
        overridden: own[name] !== undefined,
        used,
        remaining: used === null || value === 0 ? null : Math.max(0, value - used),
        resetsAt: resetsAt === null ? null : new Date(resetsAt).toISOString(),
      };
    };
    return [
      ...WINDOWS.map((w, i) =>
        row(
          w.limit,
          counts === undefined ? null : Math.max(0, Number(counts[i] ?? 0)),
          windowEnd(w.ms, nowMs),
        ),
      ),
      row('pendingEmails', pending?.emails ?? null, null),
      row('pendingBytes', pending?.bytes ?? null, null),
      // Enforced by the worker, per RATE_LIMIT_WINDOW_MS (deferrals name them in the history).
      row('sendsPerWindow', null, null),
      row('sendsPerWindowPerSender', null, null),
    ];
  }

  /** The command's answer, or undefined (logged) when Redis has not answered in QUOTA_REDIS_WAIT_MS. */
  private async answerWithin<T>(
    command: Promise<T>,
    warning = 'Redis did not answer: the window quotas are not checked for this write',
  ): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), QUOTA_REDIS_WAIT_MS);
    });
    try {
      const answer = await Promise.race([command, late]);
      if (answer === undefined) this.logger.warn(warning);
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  private async checkPending(
    tenantId: string,
    limits: Required<TenantLimits>,
    count: number,
    contents: readonly {
      readonly subject: string;
      readonly text?: string;
      readonly html?: string;
    }[],
  ): Promise<void> {
    if (limits.pendingEmails === 0 && limits.pendingBytes === 0) return;
    const pending = await this.pending(tenantId);
    if (!pending) return;
    const bytes = contents.map(contentBytes).reduce((a, b) => a + b, 0);
    for (const [limit, used, requested] of [
      ['pendingEmails', pending.emails, count],
      ['pendingBytes', pending.bytes, bytes],
    ] as const) {
      const limitValue = limits[limit];
      if (limitValue > 0 && used + requested > limitValue) {
        throw new QuotaExceededError({
          limit,
          limitValue,
          used,
          requested,
          retryAfterSeconds: PENDING_RETRY_AFTER_SECONDS,
        });
      }
    }
  }

  /** From the read model; undefined while it has no per-tenant counts yet (before generation 2). */
  private async pending(tenantId: string): Promise<Pending | undefined> {
    try {
      const { rows } = await this.pool.query<{ emails: string; bytes: string }>(
        `SELECT emails, bytes FROM ${READ_MODEL_VIEWS.tenantPending} WHERE tenant_id = $1`,
        [tenantId],
      );
      const found = rows[0];
      return { emails: Number(found?.emails ?? 0), bytes: Number(found?.bytes ?? 0) };
    } catch (error) {
      if ((error as { code?: unknown }).code !== '42P01') throw error;
      this.logger.warn('read_model.tenant_pending is not there yet: pending quotas not checked');
      return undefined;
    }
  }
}

function windowEnd(lengthMs: number, nowMs: number): number {
  return (Math.floor(nowMs / lengthMs) + 1) * lengthMs;
}
