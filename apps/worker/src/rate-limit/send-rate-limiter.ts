import type { RedisClient } from '@app/platform';
// The worker's side of the rate limits: one atomic Redis call per send job that either lets the email go now
// or names the slot reserved for it (see reserve-slot.script.ts for the model).

import { createHash } from 'node:crypto';
import type { RateLimitKind } from '@app/domain';
import { RESERVE_SLOT_LUA } from './reserve-slot.script';

export interface RateLimits {
  /** Sends per window per (tenant, from address); 0 = unlimited. A tenant's override replaces it. */
  readonly perSender: number;
  /** Sends per window per tenant, over all its senders; 0 = unlimited. A tenant's override replaces it. */
  readonly perTenant: number;
  /** Sends per window over all senders; 0 = unlimited. */
  readonly global: number;
  readonly windowMs: number;
  /** Minimum time between two sends, over all senders; 0 = none. */
  readonly minGapMs: number;
}

export type SlotDecision =
  /** Send now: the slot at `now` is reserved for this job. */
  | { readonly kind: 'send' }
  /** Throttled: the slot at `untilMs` is reserved for the job the deferral creates (revision + 1). */
  | { readonly kind: 'defer'; readonly untilMs: number; readonly limit: RateLimitKind }
  /** This job's slot (reserved by its deferral) is still ahead. */
  | { readonly kind: 'wait'; readonly untilMs: number };

/** One tenant's own send rates: the configured defaults, or what an admin set for it. */
export interface TenantRates {
  readonly perSender: number;
  readonly perTenant: number;
}

/** Where the limiter learns a tenant's rates (TenantSendRates: `tenants.settings`, cached). */
export type TenantRatesSource = (tenantId: string) => Promise<TenantRates>;

export interface SlotRequest {
  readonly emailId: string;
  /** The revision the send job is for. */
  readonly revision: number;
  /** The email's tenant (EmailScheduled.tenantId). */
  readonly tenantId: string;
  readonly from: string;
  readonly nowMs: number;
}

/**
 * The Redis keys live under this prefix in the jobs' database. Its braces are a hash tag: the reservation
 * script reads and writes several of them at once, which a Redis Cluster allows only within one slot.
 */
export const RATE_LIMIT_PREFIX = '{rate-limit}:';

/** A tenant id holds no `:` (`[A-Za-z0-9_-]`), so the tenant and the address cannot run into each other. */
const senderId = (tenantId: string, from: string): string =>
  `${tenantId}:${from.trim().toLowerCase()}`;
export const senderKey = (tenantId: string, from: string, prefix = RATE_LIMIT_PREFIX): string =>
  `${prefix}sender:${senderId(tenantId, from)}`;
export const tenantKey = (tenantId: string, prefix = RATE_LIMIT_PREFIX): string =>
  `${prefix}tenant:${tenantId}`;
export const globalKey = (prefix = RATE_LIMIT_PREFIX): string => `${prefix}global`;
export const slotMember = (emailId: string, revision: number): string => `${emailId}:${revision}`;

const SCRIPT_SHA = createHash('sha1').update(RESERVE_SLOT_LUA).digest('hex');

/**
 * The hand-off gate of MIN_SEND_GAP_MS: the moment (Redis's time, ms) at which this message may reach the
 * relay, at least the gap after the one before it, over every worker. KEYS: 1 the last hand-off. ARGV: 1 gap.
 */
const HAND_OFF_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local gap = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '')
local at = now
if last and last + gap > at then at = last + gap end
redis.call('SET', KEYS[1], at, 'PX', at - now + gap)
return at
`;
const LIMIT_KINDS: readonly string[] = [
  'sender',
  'tenant',
  'global',
  'min-gap',
] satisfies RateLimitKind[];

function isLimitKind(value: unknown): value is RateLimitKind {
  return typeof value === 'string' && LIMIT_KINDS.includes(value);
}

export class SendRateLimiter {
  /** Search rounds the last reservation took (cost tests). */
  lastRounds = 0;

  constructor(
    private readonly redis: RedisClient,
    readonly limits: RateLimits,
    private readonly tenantRates: TenantRatesSource = () => Promise.resolve(limits),
    private readonly prefix = RATE_LIMIT_PREFIX,
  ) {}

  /**
   * When this message may go on the wire: slots are spaced by the gap when they are reserved, but a send
   * reaches the relay a claim append and an SMTP exchange later, which vary; so the gap is held again here,
   * at the hand-off itself. Undefined when there is no gap to keep.
   */
  async handOffAt(): Promise<number | undefined> {
    if (this.limits.minGapMs <= 0) return undefined;
    const at = await this.redis.eval(
      HAND_OFF_LUA,
      1,
      `${this.prefix}hand-off:last`,
      String(this.limits.minGapMs),
    );
    return Number(at);
  }

  async reserve({ emailId, revision, tenantId, from, nowMs }: SlotRequest): Promise<SlotDecision> {
    const { global, minGapMs } = this.limits;
    const { perSender, perTenant } = await this.tenantRates(tenantId);
    if (perSender <= 0 && perTenant <= 0 && global <= 0 && minGapMs <= 0) return { kind: 'send' };
    const deferredMember = slotMember(emailId, revision + 1);
    const keys = [
      senderKey(tenantId, from, this.prefix),
      tenantKey(tenantId, this.prefix),
      globalKey(this.prefix),
      `${this.prefix}deferred:${deferredMember}`,
      `${this.prefix}frontier:sender:${senderId(tenantId, from)}`,
      `${this.prefix}frontier:tenant:${tenantId}`,
      `${this.prefix}frontier:global`,
      `${this.prefix}deferred:${slotMember(emailId, revision)}`,
    ];
    const args = [
      Math.floor(nowMs),
      this.limits.windowMs,
      perSender,
      perTenant,
      global,
      this.limits.minGapMs,
      slotMember(emailId, revision),
      deferredMember,
    ].map(String);
    const reply = await this.run(keys, args);
    if (!Array.isArray(reply) || reply.length !== 4) {
      throw new Error(`rate limit script: unexpected reply ${JSON.stringify(reply)}`);
    }
    const [code, slot, limit, rounds] = reply as [unknown, unknown, unknown, unknown];
    this.lastRounds = Number(rounds);
    const untilMs = Number(slot);
    if (code === 0) return { kind: 'send' };
    if (code === 2) return { kind: 'wait', untilMs };
    if (code === 1 && isLimitKind(limit)) return { kind: 'defer', untilMs, limit };
    throw new Error(`rate limit script: unexpected reply ${JSON.stringify(reply)}`);
  }

  private async run(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.redis.eval(RESERVE_SLOT_LUA, keys.length, ...keys, ...args);
    }
  }
}
