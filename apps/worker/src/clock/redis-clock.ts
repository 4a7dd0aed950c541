import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS_CLIENT, type AppConfig, type RedisClient } from '@app/platform';

/**
 * The worker's time is Redis's time. BullMQ keeps every delay as a score in Redis, and several workers on
 * several hosts share one queue, so one host's clock stepping (a bad NTP sync, a resumed VM, a test's
 * libfaketime) must not make it send early or misjudge a lease: every decision reads Redis TIME, one round
 * trip. The host clock's distance from it (the skew) is kept, because BullMQ itself stamps and promotes
 * jobs by the host clock: a worker whose skew is over MAX_CLOCK_SKEW_MS must stop fetching (ClockSkewGuard).
 */
@Injectable()
export class RedisClock {
  private skew = 0;
  /** The TIME request in flight: callers meanwhile share it (its answer is at most one round trip old). */
  private reading: Promise<number> | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Redis's time now, in epoch milliseconds. Concurrent callers share one TIME request: an answer read
   * a moment before the call can only make a time look earlier, so never an email due sooner.
   */
  nowMs(): Promise<number> {
    this.reading ??= this.readTime().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readTime(): Promise<number> {
    const before = Date.now();
    const [seconds = 0, micros = 0] = (await this.redis.time()).map(Number);
    const after = Date.now();
    const now = seconds * 1000 + Math.floor(micros / 1000);
    // A reading that took longer than the tolerance (a starved event loop) says nothing about the skew.
    if (after - before <= this.config.maxClockSkewMs) this.skew = (before + after) / 2 - now;
    return now;
  }

  /**
   * Redis's time from the host clock and the last skew, without a round trip: for the instants recorded
   * after a send, where a failed read of Redis would cost the outcome.
   */
  estimateNowMs(): number {
    return Date.now() - this.skew;
  }

  /** Host clock minus Redis clock at the last good reading: positive when the host runs ahead. */
  get skewMs(): number {
    return this.skew;
  }

  get isSkewed(): boolean {
    return Math.abs(this.skew) > this.config.maxClockSkewMs;
  }
}
