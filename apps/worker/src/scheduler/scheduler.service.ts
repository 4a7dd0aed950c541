import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EMAIL_CATEGORY } from '@app/email-streams';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import { EVENT_STORE, REDIS_CLIENT } from '@app/platform';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  RETRY_BACKOFF,
  SEND_JOB_ATTEMPTS,
  SEND_QUEUE,
  type SendJobData,
  type SendJobName,
} from '../queue/send-queue';
import { Clock } from '../clock/clock';
import { planJobs } from './job-plan';
import { SchedulerState } from './scheduler-state';

/** How often the scheduler checks that Redis still holds its state. */
export const REDIS_LOSS_CHECK_MS = 500;
const RESUBSCRIBE_DELAY_MS = 1_000;
const MAX_BATCH = 1_000;
/** Finished jobs are dropped at once; failed ones are kept a while for inspection. */
const FAILED_JOBS_KEPT_S = 24 * 60 * 60;

class RedisStateLostError extends Error {
  override readonly name = 'RedisStateLostError';
}

/**
 * Events → BullMQ delayed jobs. A catch-up subscription over the email category whose checkpoint lives in
 * Redis beside the jobs; when Redis loses them (noticed at start, on each checkpoint write, and by a check
 * every REDIS_LOSS_CHECK_MS) it replays from the start. Deterministic job ids make any replay harmless.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly state: SchedulerState;
  private subscription: Subscription | undefined;
  private epoch: string | undefined;
  private monitor: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private restartQueued = false;
  private stopped = false;
  /** The furthest position this scheduler saved since it (re)started: Redis must never hold less. */
  private saved: Position | undefined;
  /** Replays from 'start' so far: visible to tests and logs. */
  replays = 0;
  /** Times Redis was found holding an older position than this scheduler had saved. */
  rollbacks = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS_CLIENT) redis: Redis,
    @InjectQueue(SEND_QUEUE) private readonly queue: Queue<SendJobData, unknown, SendJobName>,
    private readonly clock: Clock,
  ) {
    this.state = new SchedulerState(redis);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.requestRestart('start');
    await this.pending;
    this.monitor = setInterval(() => void this.checkRedis(), REDIS_LOSS_CHECK_MS);
    this.monitor.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.monitor);
    await this.pending;
    await this.subscription?.stop();
  }

  private async checkRedis(): Promise<void> {
    if (this.restartQueued || this.stopped) return;
    try {
      const saved = this.saved;
      const { epoch, after } = await this.state.current();
      if (epoch !== this.epoch) this.requestRestart('Redis lost the scheduler state');
      else if (saved && (after === 'start' || comparePositions(after, saved) < 0)) {
        this.rollbacks += 1;
        this.logger.warn(
          `Redis came back older: it holds the scheduler at ${after === 'start' ? 'the start' : formatPosition(after)}, behind the ${formatPosition(saved)} saved`,
        );
        this.requestRestart('Redis came back older than it was');
      }
    } catch (error) {
      this.logger.warn(`could not check the scheduler state: ${String(error)}`);
    }
  }

  private requestRestart(reason: string): void {
    if (this.restartQueued) return;
    this.restartQueued = true;
    this.pending = this.pending
      .then(() => this.restart(reason))
      .catch((error: unknown) => {
        this.logger.error(`could not (re)start the subscription: ${String(error)}`);
        this.retryLater('the last start failed');
      });
  }

  private retryLater(reason: string): void {
    if (this.stopped) return;
    setTimeout(() => this.requestRestart(reason), RESUBSCRIBE_DELAY_MS).unref();
  }

  private async restart(reason: string): Promise<void> {
    this.restartQueued = false;
    if (this.stopped) return;
    await this.subscription?.stop();
    this.subscription = undefined;
    const { epoch, after } = await this.state.begin();
    this.epoch = epoch;
    this.saved = undefined;
    if (after === 'start') this.replays += 1;
    this.logger.log(
      `${reason}: subscribing to '${EMAIL_CATEGORY}' ${after === 'start' ? 'from the start' : 'from the checkpoint'}`,
    );
    const subscription = this.store.subscribeToCategory(
      EMAIL_CATEGORY,
      (batch) => this.handle(batch, epoch),
      { after, maxBatchSize: MAX_BATCH },
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (this.subscription !== subscription || this.stopped) return;
        if (error instanceof RedisStateLostError) {
          this.requestRestart(error.message);
        } else {
          this.logger.error(`subscription failed: ${String(error)}`);
          this.retryLater('resubscribing after a failure');
        }
      },
    );
  }

  private async handle(batch: readonly RecordedEvent[], epoch: string): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    const plan = planJobs(batch);
    if (plan.add.length > 0) {
      // Stamped with Redis's time, not this host's: the delayed score is timestamp + delay, and every
      // worker's due check reads Redis's time.
      const now = await this.clock.nowMs();
      await this.queue.addBulk(
        plan.add.map((job) => ({
          name: job.name,
          data: job.data,
          opts: {
            jobId: job.jobId,
            timestamp: now,
            delay: Math.max(0, job.runAt - now),
            removeOnComplete: true,
            removeOnFail: { age: FAILED_JOBS_KEPT_S },
            attempts: SEND_JOB_ATTEMPTS,
            backoff: { type: RETRY_BACKOFF },
          },
        })),
      );
    }
    // A locked (running) job is not removed: it finds its revision stale and drops itself.
    await Promise.all(plan.remove.map((jobId) => this.queue.remove(jobId)));
    if (!(await this.state.save(epoch, last.position))) {
      throw new RedisStateLostError('Redis lost the scheduler state during a batch');
    }
    if (epoch === this.epoch && (!this.saved || comparePositions(last.position, this.saved) > 0)) {
      this.saved = last.position;
    }
  }
}
