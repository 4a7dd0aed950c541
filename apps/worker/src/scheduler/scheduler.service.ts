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
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import {
  APP_CONFIG,
  EVENT_STORE,
  PG_POOL,
  REDIS_CLIENT,
  withTimeout,
  type AppConfig,
  type RedisClient,
  SEND_QUEUE,
} from '@app/platform';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import {
  RETRY_BACKOFF,
  SEND_JOB_ATTEMPTS,
  type SendJobData,
  type SendJobName,
} from '../queue/send-queue';
import { RedisClock } from '../clock/redis-clock';
import { newWorkerId } from '../worker-identity';
import { DueIndex, type Ownership } from './due-index';
import { planJobs, type PlannedJob } from './job-plan';
import { RedisMarker, type RedisTrouble } from './redis-marker';

/** How often the scheduler renews its lease (a standby tries for it), tops the window up and checks Redis. */
export const SCHEDULER_TICK_MS = 500;
/** A lapsed lease is taken over at a standby's next tick: this bounds how long the schedule has no owner. */
export const SCHEDULER_LEASE_MS = 5_000;
/** A reconcile that no sign of trouble asked for still runs this often: it repairs what no sign reveals. */
export const RECONCILE_EVERY_MS = 60_000;
const MAX_BATCH = 1_000;
const PAGE = 5_000;
/** Finished jobs are dropped at once; failed ones are kept a while for inspection. */
const FAILED_JOBS_KEPT_S = 24 * 60 * 60;
/** Where a job waits before a worker takes it: where superseded jobs are looked for. */
const WAITING_LISTS = ['wait', 'paused'] as const;
const WAITING_SETS = ['delayed', 'prioritized'] as const;

/** This process no longer holds the lease: its batch was refused. */
class DeposedError extends Error {
  override readonly name = 'DeposedError';
}

/** One tenure as the scheduler. Work queued under an earlier one does nothing. */
interface Term {
  readonly token: string;
  /** Jobs of every row due up to here are in Redis (epoch ms, Redis's clock). */
  horizon: number;
  /**
   * Set while the index is built from the first event, up to the head the category had then: a replay of
   * all history would queue jobs that its own later batches supersede, so its rows wait for the reconcile
   * that ends it. A takeover from a checkpoint catches up with jobs as it goes (its index rows were current
   * at the checkpoint; what the gap supersedes the claim guard drops).
   */
  rebuildingTo: Position | undefined;
  lastReconcileMs: number;
  reconcileWanted: string | undefined;
  /** A sign of trouble seen since the last reconcile: one loss is counted once, however often it shows. */
  troubled: boolean;
  subscription: Subscription | undefined;
  /** performance.now() of the last renewal the database confirmed. */
  renewedAt: number;
  /** Rejects when the term ends: a batch waiting behind stuck work gives up then, and its subscription stops. */
  readonly ended: Promise<never>;
  readonly end: () => void;
}

export interface ReconcileCounts {
  added: number;
  removed: number;
}

/**
 * The one scheduler (ADR 0007). Every worker process runs this service; one holds the lease in Postgres and
 * schedules, the others are standbys that only send. The holder projects the email category into the due index
 * (Postgres, checkpoint and rows in one transaction, fenced by the lease's token), keeps jobs in Redis for the
 * rows due within the window (SCHEDULER_WINDOW_MS), and reconciles Redis against the index at takeover, at
 * every sign that Redis lost or rolled back writes, and every RECONCILE_EVERY_MS.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly index: DueIndex;
  private readonly marker: RedisMarker;
  private readonly holder = newWorkerId();
  private readonly windowMs: number;
  private term: Term | undefined;
  /** Everything a term does to Redis and the index runs one piece at a time, in this order. */
  private serial: Promise<unknown> = Promise.resolve();
  private ticker: NodeJS.Timeout | undefined;
  private ticking = false;
  private working = false;
  /** Whether the serial queue is running a piece of work, and when that work last moved. */
  private busy = false;
  private progressAt = 0;
  private stopped = false;

  /** Terms this process has held. */
  terms = 0;
  /** Times the index was built from the first event (an empty checkpoint). */
  replays = 0;
  /** Signs that Redis had lost or rolled back what this scheduler wrote, by kind. */
  readonly troubles: Record<RedisTrouble, number> = { lost: 0, older: 0, restarted: 0 };
  readonly reconciled: ReconcileCounts = { added: 0, removed: 0 };
  /** Index batches refused because another process had taken the lease. */
  fencingRejections = 0;
  /** Epoch ms up to which the jobs are in Redis, while this process schedules. */
  get horizon(): number | undefined {
    return this.term?.horizon;
  }

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    // The same Redis database as BullMQ's own connections (worker.module.ts).
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(PG_POOL) pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectQueue(SEND_QUEUE) private readonly queue: Queue<SendJobData, unknown, SendJobName>,
    private readonly clock: RedisClock,
  ) {
    this.index = new DueIndex(pool);
    this.marker = new RedisMarker(this.redis);
    this.windowMs = config.schedulerWindowMs;
  }

  get leading(): boolean {
    return this.term !== undefined;
  }

  /** The index, for the metrics. */
  get dueIndex(): DueIndex {
    return this.index;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.index.migrate();
    await this.tick();
    this.ticker = setInterval(() => void this.tick(), SCHEDULER_TICK_MS);
    this.ticker.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    const term = this.term;
    if (!term) return;
    const subscription = term.subscription;
    this.endTerm(term, 'shutting down');
    // The batch in hand commits (or not) before the lease goes, unless it is stuck.
    await withTimeout(
      Promise.all([subscription?.stop(), this.serial]),
      SCHEDULER_LEASE_MS,
      'the scheduler to finish its work',
    ).catch(() => undefined);
    await this.index.release(term.token).catch(() => undefined);
  }

  /**
   * The lease on every tick; the holder's window work beside it, so a long reconcile never lets it lapse. But
   * work that makes no progress for a lease (a Redis or Postgres that stopped answering this process only)
   * must not hold the schedule: the term is given up, and this process does not try again until its stuck
   * work ends, so that a standby that can reach everything schedules meanwhile.
   */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const stuck = this.busy && performance.now() - this.progressAt > SCHEDULER_LEASE_MS;
      if (this.term && stuck) {
        const term = this.term;
        this.endTerm(
          term,
          'its work has made no progress for a lease (Redis or Postgres not answering)',
        );
        await withTimeout(
          this.index.release(term.token),
          SCHEDULER_TICK_MS,
          'the lease release',
        ).catch(() => undefined);
        return;
      }
      const term = this.term ?? (stuck ? undefined : await this.tryToLead());
      if (term && (await this.renew(term)) && !this.working) {
        this.working = true;
        void this.run(term, () => this.tend(term))
          .catch((error: unknown) => this.logger.warn(`scheduler work failed: ${String(error)}`))
          .finally(() => {
            this.working = false;
          });
      }
    } catch (error) {
      this.logger.warn(`scheduler tick failed: ${String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async tryToLead(): Promise<Term | undefined> {
    const ownership = await withTimeout(
      this.index.acquire(this.holder, SCHEDULER_LEASE_MS),
      SCHEDULER_LEASE_MS,
      'the scheduler lease',
    );
    if (!ownership || this.stopped) return undefined;
    const { after, rebuildingTo } = await this.startingPoint(ownership);
    let end = (): void => undefined;
    const ended = new Promise<never>((_, reject) => {
      end = () => reject(new DeposedError('the scheduler term ended'));
    });
    ended.catch(() => undefined);
    const term: Term = {
      token: ownership.token,
      horizon: Number.NEGATIVE_INFINITY,
      rebuildingTo,
      lastReconcileMs: 0,
      reconcileWanted: 'taking over',
      troubled: false,
      subscription: undefined,
      renewedAt: performance.now(),
      ended,
      end,
    };
    this.term = term;
    this.terms += 1;
    if (after === 'start') this.replays += 1;
    this.logger.log(
      `scheduling (lease token ${term.token}), the due index ${after === 'start' ? 'from the first event' : 'from its checkpoint'}`,
    );
    // Batches add no job before the first reconcile has set the horizon, and that reconcile reads every row
    // they committed before it: nothing falls between.
    this.subscribe(term, after);
    return term;
  }

  /**
   * Where the term's subscription starts, and, while the index is being built from the first event, the head
   * it must reach before it writes jobs. That target is kept in the owner row, so that a holder taking over
   * half-way through a rebuild goes on rebuilding.
   */
  private async startingPoint(
    ownership: Ownership,
  ): Promise<{ after: Position | 'start'; rebuildingTo: Position | undefined }> {
    const { token, after } = ownership;
    const head = await this.store.headPosition(EMAIL_CATEGORY);
    if (after !== 'start' && (head === 'start' || comparePositions(after, head) > 0)) {
      // The index has seen events the store no longer has: the store was restored from a backup. Its rows
      // name revisions of a history that is gone (the removal rule would take them as proof against current
      // jobs), and so may the jobs in Redis: both start again from the store as it is.
      this.logger.error(
        'the due index is ahead of the event store (restored from a backup?): rebuilding it and the queue',
      );
      await this.index.reset(token);
      await this.queue.drain(true);
      return this.startingPoint({ token, after: 'start', rebuildingTo: undefined });
    }
    if (after === 'start') {
      if (head === 'start') return { after, rebuildingTo: undefined };
      await this.index.beginRebuild(token, head);
      return { after, rebuildingTo: head };
    }
    const target = ownership.rebuildingTo;
    if (target && comparePositions(after, target) < 0) return { after, rebuildingTo: target };
    if (target) await this.index.endRebuild(token);
    return { after, rebuildingTo: undefined };
  }

  /** False when the term is over: deposed, or unable to prove it still holds the lease. */
  private async renew(term: Term): Promise<boolean> {
    let renewed: boolean | undefined;
    try {
      renewed = await withTimeout(
        this.index.renew(term.token, SCHEDULER_LEASE_MS),
        SCHEDULER_LEASE_MS,
        'the lease renewal',
      );
    } catch (error) {
      this.logger.warn(`could not renew the scheduler lease: ${String(error)}`);
    }
    if (renewed) term.renewedAt = performance.now();
    else if (renewed === false) this.endTerm(term, 'another process holds the lease');
    else if (performance.now() - term.renewedAt > SCHEDULER_LEASE_MS) {
      this.endTerm(term, 'the lease could not be renewed in time');
    }
    return this.term === term;
  }

  /** What the window and Redis need now: a reconcile when something asked for one, else a top-up. */
  private async tend(term: Term): Promise<void> {
    if (term.rebuildingTo) return;
    const trouble = await this.marker.check();
    if (trouble) this.noticed(term, trouble);
    const now = await this.clock.nowMs();
    if (now - term.lastReconcileMs >= RECONCILE_EVERY_MS) term.reconcileWanted ??= 'periodic check';
    if (term.reconcileWanted) await this.reconcile(term, term.reconcileWanted);
    else await this.topUp(term, now);
  }

  private noticed(term: Term, trouble: RedisTrouble): void {
    if (term.troubled) return;
    term.troubled = true;
    this.troubles[trouble] += 1;
    const what = {
      lost: 'Redis lost the jobs the scheduler wrote',
      older: 'Redis came back older than the scheduler left it',
      restarted: 'Redis restarted',
    }[trouble];
    this.logger.warn(`${what}: reconciling the window with the due index`);
    term.reconcileWanted = what;
  }

  /** Runs `work` after everything queued before it, unless the term is over by then. */
  private run(term: Term, work: () => Promise<void>): Promise<void> {
    const next = this.serial.then(async () => {
      if (this.term !== term) return;
      this.busy = true;
      this.progressed();
      try {
        await work();
      } finally {
        this.busy = false;
      }
    });
    this.serial = next.catch(() => undefined);
    return next;
  }

  /** Long work says it is still moving (each page of a reconcile): see `tick`. */
  private progressed(): void {
    this.progressAt = performance.now();
  }

  private subscribe(term: Term, after: Position | 'start'): void {
    if (this.term !== term) return;
    const subscription = this.store.subscribeToCategory(
      EMAIL_CATEGORY,
      (batch) => Promise.race([this.run(term, () => this.apply(term, batch)), term.ended]),
      { after, maxBatchSize: MAX_BATCH },
    );
    term.subscription = subscription;
    subscription.done.then(
      () => undefined,
      async (error: unknown) => {
        if (this.term !== term || this.stopped) return;
        if (error instanceof DeposedError) return this.endTerm(term, error.message);
        this.logger.error(`the scheduler's subscription failed: ${String(error)}`);
        // Its last batch may be in the index (a commit whose answer was lost) though not in Redis, and the
        // subscription resumes after it.
        term.reconcileWanted ??= 'the subscription failed';
        // Resume from what the index committed, after a pause.
        await new Promise((resolve) => setTimeout(resolve, SCHEDULER_TICK_MS * 2));
        const position = await this.index.position().catch(() => undefined);
        if (position === undefined) return this.endTerm(term, 'the due index cannot be read');
        this.subscribe(term, position);
      },
    );
  }

  /** One batch: index first (fenced), then the jobs due within the window, then what it superseded. */
  private async apply(term: Term, batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    const plan = planJobs(batch);
    if (!(await this.index.apply(term.token, plan.due, last.position))) {
      this.fencingRejections += 1;
      throw new DeposedError(
        'another process took the lease: a batch of the due index was refused',
      );
    }
    if (term.rebuildingTo) {
      if (comparePositions(last.position, term.rebuildingTo) < 0) return;
      await this.index.endRebuild(term.token);
      term.rebuildingTo = undefined;
      term.reconcileWanted = 'the due index is rebuilt';
      return;
    }
    try {
      const jobs = plan.due.flatMap((entry) =>
        entry.job && entry.job.runAt <= term.horizon ? [entry.job] : [],
      );
      if (jobs.length > 0) await this.add(jobs);
      // A running (locked) job is not removed: it finds its revision stale and drops itself.
      await Promise.all(plan.remove.map((jobId) => this.queue.remove(jobId)));
      await this.wrote(term);
    } catch (error) {
      // The batch is in the index, which the subscription will not deliver again: the reconcile puts it
      // into Redis once Redis answers.
      this.logger.warn(`a batch's jobs could not be written to Redis: ${String(error)}`);
      term.reconcileWanted ??= 'a batch could not be written to Redis';
    }
  }

  /** Moves the window forward to now + W: the rows that entered it become jobs. */
  private async topUp(term: Term, now: number): Promise<void> {
    const next = now + this.windowMs;
    if (next <= term.horizon) return;
    let added = 0;
    for await (const jobs of this.index.due(term.horizon, next, PAGE)) {
      await this.add(jobs);
      added += jobs.length;
      this.progressed();
    }
    term.horizon = next;
    if (added > 0) await this.wrote(term);
  }

  /**
   * Makes Redis agree with the index over the window: every row due within it has its job (missing ones are
   * added), and no waiting job is for a revision the index has passed (those are removed). A job whose email
   * the index has not seen is left: only a later revision proves a job superseded, and that proof never
   * expires, so a reconcile on an old read can never remove a current job.
   */
  private async reconcile(term: Term, reason: string): Promise<void> {
    term.reconcileWanted = undefined;
    try {
      await this.reconcileNow(term, reason);
    } catch (error) {
      term.reconcileWanted ??= reason;
      throw error;
    }
  }

  private async reconcileNow(term: Term, reason: string): Promise<void> {
    const started = performance.now();
    // What Redis holds from here on is checked against this reconcile, not against what came before it.
    await this.marker.reset();
    term.troubled = false;
    const now = await this.clock.nowMs();
    const next = now + this.windowMs;
    let added = 0;
    for await (const jobs of this.index.due(Number.NEGATIVE_INFINITY, next, PAGE)) {
      const present = await this.present(jobs.map((job) => job.jobId));
      const missing = jobs.filter((_, i) => !present[i]);
      if (missing.length > 0) await this.add(missing);
      added += missing.length;
      this.progressed();
    }
    term.horizon = Math.max(term.horizon, next);
    const removed = await this.removeSuperseded();
    term.lastReconcileMs = now;
    this.reconciled.added += added;
    this.reconciled.removed += removed;
    await this.wrote(term);
    this.report(reason, added, removed, started);
  }

  private report(reason: string, added: number, removed: number, started: number): void {
    const ms = Math.round(performance.now() - started);
    const message = `reconciled (${reason}): ${added} job(s) added, ${removed} removed, in ${ms} ms`;
    if (added > 0 || removed > 0) this.logger.warn(message);
    else this.logger.debug(message);
  }

  private async present(jobIds: readonly string[]): Promise<boolean[]> {
    const pipeline = this.redis.pipeline();
    for (const jobId of jobIds) pipeline.exists(this.queue.toKey(jobId));
    const answers = (await pipeline.exec()) ?? [];
    return answers.map(([error, exists]) => {
      if (error) throw error;
      return exists === 1;
    });
  }

  private async removeSuperseded(): Promise<number> {
    let removed = 0;
    const key = (state: string): string => this.queue.toKey(state);
    const waiting = await Promise.all([
      ...WAITING_LISTS.map((list) => this.redis.lrange(key(list), 0, -1)),
      ...WAITING_SETS.map((set) => this.redis.zrange(key(set), '0', '-1')),
    ]);
    for (const ids of waiting) {
      for (let i = 0; i < ids.length; i += PAGE) {
        const jobs = ids.slice(i, i + PAGE).flatMap((jobId) => {
          const parsed = /^(?:send|lease)-(.+)-(\d+)$/.exec(jobId);
          return parsed?.[1] && parsed[2]
            ? [{ jobId, emailId: parsed[1], revision: Number(parsed[2]) }]
            : [];
        });
        const indexed = await this.index.revisions(jobs.map((job) => job.emailId));
        for (const job of jobs) {
          const revision = indexed.get(job.emailId);
          if (
            revision !== undefined &&
            revision > job.revision &&
            (await this.queue.remove(job.jobId))
          ) {
            removed += 1;
          }
        }
        this.progressed();
      }
    }
    return removed;
  }

  private async add(jobs: readonly PlannedJob[]): Promise<void> {
    // Stamped with Redis's time, not this host's: the delayed score is timestamp + delay, and every
    // worker's due check reads Redis's time.
    const now = await this.clock.nowMs();
    await this.queue.addBulk(
      jobs.map((job) => ({
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

  /** After each write to Redis: a marker that falls behind it is the next reconcile's reason. */
  private async wrote(term: Term): Promise<void> {
    const trouble = await this.marker.advance();
    if (trouble) this.noticed(term, trouble);
  }

  /**
   * Ends the term at once: its queued work does nothing from here, its subscription is told to stop. Not
   * awaited: the work in hand may be what is stuck.
   */
  private endTerm(term: Term, reason: string): void {
    if (this.term !== term) return;
    this.term = undefined;
    term.end();
    this.logger.warn(`no longer scheduling: ${reason}`);
    const subscription = term.subscription;
    term.subscription = undefined;
    void subscription?.stop().catch(() => undefined);
  }
}
