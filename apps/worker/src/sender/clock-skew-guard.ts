import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RedisClock } from '../clock/redis-clock';
import { SendGate } from './send-gate';

/** How often an idle worker compares its clock with Redis's. */
export const CLOCK_CHECK_MS = 1_000;

/**
 * BullMQ promotes delayed jobs by the host clock: a host running ahead would pull every job due within its
 * skew, and one running behind would sit on them. So while the host clock is more than MAX_CLOCK_SKEW_MS away
 * from Redis's, this worker takes no jobs (the send gate is closed) and says so; other workers go on, and it
 * rejoins once its clock agrees again. The check runs at boot, every CLOCK_CHECK_MS, and on every early job.
 */
@Injectable()
export class ClockSkewGuard implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ClockSkewGuard');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: RedisClock,
    private readonly gate: SendGate,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), CLOCK_CHECK_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    try {
      await this.clock.nowMs();
    } catch (error) {
      this.logger.warn(`could not read Redis's time: ${String(error)}`);
      return;
    }
    this.apply();
  }

  /** Closes or opens the gate for the skew of the clock's last reading. */
  apply(): void {
    const skewMs = Math.round(this.clock.skewMs);
    if (this.clock.isSkewed && !this.gate.isClosedBy('clock')) {
      this.logger.error(
        `host clock is ${skewMs} ms off Redis's time: taking no jobs until it agrees again`,
      );
      this.gate.close('clock');
    } else if (!this.clock.isSkewed && this.gate.isClosedBy('clock')) {
      this.logger.log(`host clock agrees with Redis's again (${skewMs} ms): taking jobs`);
      this.gate.open('clock');
    }
  }
}
