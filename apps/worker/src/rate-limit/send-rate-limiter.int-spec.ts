// The slot maths of the rate-limit script against a real Redis: hand-worked cases, then a seeded random
// sequence checked against a brute-force model (every slot is the earliest time at which every window that
// would contain it still has room and no other slot is within the gap).

import { Redis } from 'ioredis';
import {
  globalKey,
  senderKey,
  SendRateLimiter,
  tenantKey,
  type RateLimits,
} from './send-rate-limiter';

const REDIS_URL = process.env.RATE_LIMIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/10';
const T = 1_800_000_000_000;

describe('SendRateLimiter (Lua slot maths on real Redis)', () => {
  let redis: Redis;
  let sequence = 0;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    await redis.flushdb();
    redis.disconnect();
  });

  const limiter = (limits: Partial<RateLimits>): SendRateLimiter =>
    new SendRateLimiter(redis, {
      perSender: 0,
      perTenant: 0,
      global: 0,
      windowMs: 1000,
      minGapMs: 0,
      ...limits,
    });

  const reserve = (
    l: SendRateLimiter,
    from: string,
    nowMs: number,
    emailId = `e${++sequence}`,
    tenantId = 't',
  ) => l.reserve({ emailId, revision: 0, tenantId, from, nowMs });

  it('with every limit off, sends and touches nothing', async () => {
    const l = limiter({});
    expect(await reserve(l, 'a@x', T)).toEqual({ kind: 'send' });
    expect(await redis.dbsize()).toBe(0);
  });

  it('per sender: the (L+1)-th in a window gets the slot where the first leaves it, each its own', async () => {
    const l = limiter({ perSender: 3 });
    const decisions = [];
    for (const offset of [0, 10, 20, 20, 20, 20, 20])
      decisions.push(await reserve(l, 'A@X', T + offset));
    expect(decisions).toEqual([
      { kind: 'send' },
      { kind: 'send' },
      { kind: 'send' },
      { kind: 'defer', untilMs: T + 1000, limit: 'sender' },
      { kind: 'defer', untilMs: T + 1010, limit: 'sender' },
      { kind: 'defer', untilMs: T + 1020, limit: 'sender' },
      { kind: 'defer', untilMs: T + 2000, limit: 'sender' },
    ]);
    // The sender is its lower-cased address; another sender is not slowed.
    expect(await redis.zcard(senderKey('t', 'a@x'))).toBe(7);
    expect(await reserve(l, 'b@x', T + 20)).toEqual({ kind: 'send' });
  });

  it('the deferred job finds the slot reserved for it: no second reservation, no second deferral', async () => {
    const l = limiter({ perSender: 1 });
    expect(await reserve(l, 'a@x', T, 'first')).toEqual({ kind: 'send' });
    const deferred = await l.reserve({
      emailId: 'late',
      revision: 0,
      tenantId: 't',
      from: 'a@x',
      nowMs: T + 5,
    });
    expect(deferred).toEqual({ kind: 'defer', untilMs: T + 1000, limit: 'sender' });
    // The same job again (a retried job whose worker died before appending EmailDeferred): the same slot.
    expect(
      await l.reserve({ emailId: 'late', revision: 0, tenantId: 't', from: 'a@x', nowMs: T + 6 }),
    ).toEqual(deferred);
    // The deferral's job (revision 1): early → wait; at its slot → send, on the slot reserved for it (the
    // first slot has left the window and was trimmed).
    const job = { emailId: 'late', revision: 1, tenantId: 't', from: 'a@x' };
    expect(await l.reserve({ ...job, nowMs: T + 999 })).toEqual({
      kind: 'wait',
      untilMs: T + 1000,
    });
    expect(await l.reserve({ ...job, nowMs: T + 1003 })).toEqual({ kind: 'send' });
    expect(await redis.zrange(senderKey('t', 'a@x'), '0', '-1', 'WITHSCORES')).toEqual([
      'late:1',
      String(T + 1000),
    ]);
    // A later send (a retry at revision 3) is a new send and counts again.
    expect(await l.reserve({ ...job, revision: 3, nowMs: T + 1500 })).toEqual({
      kind: 'defer',
      untilMs: T + 2000,
      limit: 'sender',
    });
  });

  it('two executions of one job whose clocks read a few ms apart both get its send-now slot: the claim decides', async () => {
    // Two workers run one send job (a stalled lock): B read Redis's time before A did, but A's reservation
    // ran first. The slot A reserved at T + 10 is the job's own; B is told to send too (and loses the claim
    // at the store), not to wait for a slot that is already behind it.
    const l = limiter({ perSender: 5, minGapMs: 20 });
    const job = { emailId: 'raced', revision: 0, tenantId: 't', from: 'a@x' };
    expect(await l.reserve({ ...job, nowMs: T + 10 })).toEqual({ kind: 'send' });
    expect(await l.reserve({ ...job, nowMs: T + 4 })).toEqual({ kind: 'send' });
    expect(await redis.zcard(senderKey('t', 'a@x'))).toBe(1);
  });

  it('global: caps all senders together', async () => {
    const l = limiter({ perSender: 10, global: 2 });
    expect(await reserve(l, 'a@x', T)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'b@x', T + 1)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'c@x', T + 2)).toEqual({
      kind: 'defer',
      untilMs: T + 1000,
      limit: 'global',
    });
    expect(await redis.zcard(globalKey())).toBe(3);
  });

  it('min gap: consecutive slots at least the gap apart, across senders', async () => {
    const l = limiter({ minGapMs: 100 });
    expect(await reserve(l, 'a@x', T)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'b@x', T)).toEqual({
      kind: 'defer',
      untilMs: T + 100,
      limit: 'min-gap',
    });
    expect(await reserve(l, 'c@x', T + 50)).toEqual({
      kind: 'defer',
      untilMs: T + 200,
      limit: 'min-gap',
    });
    expect(await reserve(l, 'd@x', T + 400)).toEqual({ kind: 'send' });
  });

  it('a slot before reserved later ones must fit every window that would contain it', async () => {
    const l = limiter({ perSender: 1, global: 2 });
    expect(await reserve(l, 'a@x', T)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'a@x', T)).toMatchObject({ untilMs: T + 1000, limit: 'sender' });
    expect(await reserve(l, 'b@x', T + 100)).toEqual({ kind: 'send' });
    // Both limits bind here; the one reported is the one whose search moved the slot last (global first).
    expect(await reserve(l, 'b@x', T + 100)).toMatchObject({ untilMs: T + 1100, limit: 'global' });
    // Global slots: T, T+100, T+1000, T+1100. At T+50 the trailing window has room, but every window
    // holding T+50 (or anything up to T+1999) would hold three.
    expect(await reserve(l, 'c@x', T + 50)).toEqual({
      kind: 'defer',
      untilMs: T + 2000,
      limit: 'global',
    });
  });

  it('a hole before reserved later slots is used when every window around it has room', async () => {
    const l = limiter({ perSender: 1, global: 2 });
    expect(await reserve(l, 'a@x', T)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'a@x', T)).toMatchObject({ untilMs: T + 1000, limit: 'sender' });
    expect(await reserve(l, 'a@x', T)).toMatchObject({ untilMs: T + 2000, limit: 'sender' });
    // Global slots T, T+1000, T+2000: T+1500 shares each window with one other slot at most.
    expect(await reserve(l, 'b@x', T + 1500)).toEqual({ kind: 'send' });
    expect(await reserve(l, 'c@x', T + 1500)).toEqual({
      kind: 'defer',
      untilMs: T + 2500,
      limit: 'global',
    });
  });

  it('a burst of n throttled emails costs O(n): a bounded number of search rounds each', async () => {
    const l = limiter({ perSender: 5, global: 7, minGapMs: 1 });
    const rounds: number[] = [];
    let last = { kind: 'send' } as Awaited<ReturnType<SendRateLimiter['reserve']>>;
    for (let i = 0; i < 1000; i += 1) {
      last = await reserve(l, i % 2 === 0 ? 'a@x' : `other${i % 7}@x`, T);
      rounds.push(l.lastRounds);
    }
    expect(Math.max(...rounds)).toBeLessThanOrEqual(4);
    // 500 from a@x at 5 per window: its last is in window 99; the other 500 at 2 per window in between.
    expect(last).toMatchObject({ kind: 'defer' });
    expect(await redis.zcard(senderKey('t', 'a@x'))).toBe(500);
  });

  it("per sender is per tenant: tenant A's sends from x@b.com leave tenant B's slots for it alone", async () => {
    const l = limiter({ perSender: 2 });
    expect(await reserve(l, 'x@b.com', T, 'a1', 'tenant-a')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'X@B.com', T, 'a2', 'tenant-a')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'x@b.com', T, 'a3', 'tenant-a')).toEqual({
      kind: 'defer',
      untilMs: T + 1000,
      limit: 'sender',
    });
    // Tenant B, the same address, the same moment: its own slots.
    expect(await reserve(l, 'x@b.com', T, 'b1', 'tenant-b')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'x@b.com', T, 'b2', 'tenant-b')).toEqual({ kind: 'send' });
    expect(await redis.zcard(senderKey('tenant-a', 'x@b.com'))).toBe(3);
    expect(await redis.zcard(senderKey('tenant-b', 'x@b.com'))).toBe(2);
  });

  it("per tenant: caps a tenant's senders together, and another tenant not at all", async () => {
    const l = limiter({ perSender: 10, perTenant: 2 });
    expect(await reserve(l, 'a@x', T, 'a1', 'tenant-a')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'b@x', T + 1, 'a2', 'tenant-a')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'c@x', T + 2, 'a3', 'tenant-a')).toEqual({
      kind: 'defer',
      untilMs: T + 1000,
      limit: 'tenant',
    });
    expect(await reserve(l, 'a@x', T + 2, 'b1', 'tenant-b')).toEqual({ kind: 'send' });
    expect(await redis.zcard(tenantKey('tenant-a'))).toBe(3);
  });

  it('workers whose clocks differ by a few ms never defer each other under limits far from full', async () => {
    const l = limiter({ perSender: 100, perTenant: 100, global: 100 });
    // One worker reads its clock a few ms ahead of another: sends of one tenant and sender, interleaved.
    for (let i = 0; i < 10; i += 1) {
      expect(await reserve(l, 'a@x', T + 10 * i + 6)).toEqual({ kind: 'send' });
      expect(await reserve(l, 'a@x', T + 10 * i)).toEqual({ kind: 'send' });
    }
  });

  it("a deferral's slot holds when the limits change before its job fires: never a second reservation", async () => {
    // Deferred under the tenant limit alone (an override with no per-sender limit) ...
    const before = limiter({ perTenant: 1 });
    expect(await reserve(before, 'a@x', T, 'first')).toEqual({ kind: 'send' });
    const job = { emailId: 'late', tenantId: 't', from: 'a@x' };
    expect(await before.reserve({ ...job, revision: 0, nowMs: T + 5 })).toEqual({
      kind: 'defer',
      untilMs: T + 1000,
      limit: 'tenant',
    });
    // ... then the override goes and the per-sender limit, full, is on again: the job still finds its slot.
    const after = limiter({ perSender: 1, perTenant: 1 });
    expect(await reserve(after, 'a@x', T + 10, 'fills-sender')).toMatchObject({ kind: 'defer' });
    expect(await after.reserve({ ...job, revision: 1, nowMs: T + 1000 })).toEqual({
      kind: 'send',
    });
    // A job that retries its deferral finds the pending slot as well, whichever set holds it.
    const retried = limiter({ perSender: 5 });
    const first = await before.reserve({ ...job, emailId: 'twice', revision: 0, nowMs: T + 20 });
    expect(first).toMatchObject({ kind: 'defer', limit: 'tenant' });
    expect(await retried.reserve({ ...job, emailId: 'twice', revision: 0, nowMs: T + 21 })).toEqual(
      first,
    );
  });

  it("a tenant's own rates (an admin's override) replace the defaults for it only", async () => {
    const defaults: RateLimits = {
      perSender: 0,
      perTenant: 5,
      global: 0,
      windowMs: 1000,
      minGapMs: 0,
    };
    const l = new SendRateLimiter(redis, defaults, (tenantId) =>
      Promise.resolve(tenantId === 'small' ? { perSender: 0, perTenant: 1 } : defaults),
    );
    expect(await reserve(l, 'a@x', T, 's1', 'small')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'a@x', T, 's2', 'small')).toMatchObject({ limit: 'tenant' });
    for (let i = 0; i < 5; i += 1)
      expect(await reserve(l, 'a@x', T, `big${i}`, 'big')).toEqual({ kind: 'send' });
    expect(await reserve(l, 'a@x', T, 'big5', 'big')).toMatchObject({ limit: 'tenant' });
  });

  it.each<[string, RateLimits]>([
    [
      'sender + tenant + global + gap',
      { perSender: 2, perTenant: 3, global: 4, windowMs: 100, minGapMs: 10 },
    ],
    ['sender + tenant', { perSender: 2, perTenant: 3, global: 0, windowMs: 100, minGapMs: 0 }],
    [
      'sender + global + gap',
      { perSender: 2, perTenant: 0, global: 3, windowMs: 100, minGapMs: 15 },
    ],
    ['sender + global', { perSender: 3, perTenant: 0, global: 4, windowMs: 120, minGapMs: 0 }],
    ['global + gap', { perSender: 0, perTenant: 0, global: 5, windowMs: 200, minGapMs: 20 }],
  ])('matches a brute-force model over a random sequence (%s)', async (_, limits) => {
    const l = limiter(limits);
    const model = new SlotModel(limits);
    let random = 42;
    const next = (): number => {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      return random / 2 ** 31;
    };
    let now = T;
    for (let i = 0; i < 60; i += 1) {
      now += Math.floor(next() * 40);
      const tenant = `t${Math.floor(next() * 2)}`;
      const from = `s${Math.floor(next() * 3)}@x`;
      const expected = model.earliest(tenant, from, now);
      const decision = await reserve(l, from, now, `e${++sequence}`, tenant);
      const slot =
        decision.kind === 'send' ? now : decision.kind === 'defer' ? decision.untilMs : NaN;
      expect({ i, slot: slot - T }).toEqual({ i, slot: expected - T });
      model.add(tenant, from, slot);
    }
    model.assertInvariants();
  });
});

/** Sliding-window slots, by brute force over every millisecond. */
class SlotModel {
  /** Keyed by tenant and address, as the limiter keys them. */
  private readonly bySender = new Map<string, number[]>();
  private readonly byTenant = new Map<string, number[]>();
  private readonly all: number[] = [];

  constructor(private readonly limits: RateLimits) {}

  add(tenant: string, from: string, slot: number): void {
    for (const [map, key] of [
      [this.bySender, `${tenant}:${from}`],
      [this.byTenant, tenant],
    ] as const) {
      const list = map.get(key) ?? [];
      list.push(slot);
      map.set(key, list);
    }
    this.all.push(slot);
  }

  earliest(tenant: string, from: string, now: number): number {
    for (let t = now; ; t += 1) if (this.free(tenant, from, t)) return t;
  }

  assertInvariants(): void {
    const { windowMs, perSender, perTenant, global, minGapMs } = this.limits;
    const check = (slots: number[], limit: number): void => {
      for (const end of slots)
        expect(slots.filter((s) => s > end - windowMs && s <= end).length).toBeLessThanOrEqual(
          limit,
        );
    };
    if (perSender > 0) for (const slots of this.bySender.values()) check(slots, perSender);
    if (perTenant > 0) for (const slots of this.byTenant.values()) check(slots, perTenant);
    if (global > 0) check(this.all, global);
    const sorted = [...this.all].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i += 1)
      expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(minGapMs);
  }

  private free(tenant: string, from: string, t: number): boolean {
    const { windowMs, perSender, perTenant, global, minGapMs } = this.limits;
    const fits = (slots: readonly number[], limit: number): boolean => {
      if (limit === 0) return true;
      for (let end = t; end < t + windowMs; end += 1) {
        if (slots.filter((s) => s > end - windowMs && s <= end).length >= limit) return false;
      }
      return true;
    };
    return (
      fits(this.bySender.get(`${tenant}:${from}`) ?? [], perSender) &&
      fits(this.byTenant.get(tenant) ?? [], perTenant) &&
      fits(this.all, global) &&
      this.all.every((s) => Math.abs(s - t) >= minGapMs)
    );
  }
}
