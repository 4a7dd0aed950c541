import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { sleep } from '@app/async';
import type { EventStore } from '@app/event-store';
import { APP_CONFIG, EVENT_STORE, PG_POOL, errorMessage, type AppConfig } from '@app/platform';
import { ProjectionRunner, migrateReadModel, readProjectionStatus } from '@app/read-model';
import type { Pool } from 'pg';
import { lagLine, lagSummary } from './lag-report';
import { LeaderLock } from './leader-lock';

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;
const LOCK_INTERVAL_MS = 300;
const LAG_READ_INTERVAL_MS = 10_000;

/**
 * Active/standby: whoever holds the advisory lock runs the projection; the others try for the lock
 * every few hundred milliseconds. Losing the lock's connection stops projecting at once; a lost
 * Postgres is waited out with backoff, never a crash.
 */
@Injectable()
export class ProjectorService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private active = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** True while this process holds the projector lock and projects. */
  get isActive(): boolean {
    return this.active;
  }

  /** Applies the read model's migrations, then starts contending for the lock. */
  async start(): Promise<void> {
    await migrateReadModel(this.pool);
    this.loop = this.run();
  }

  /** SIGTERM: the batch in hand commits, the lock is released, then the pools close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const lock = new LeaderLock({
      connectionString: this.config.databaseUrl,
      intervalMs: LOCK_INTERVAL_MS,
    });
    let retryMs = RETRY_MIN_MS;
    let standbyLogged = false;
    while (!signal.aborted) {
      let acquired: boolean;
      try {
        acquired = await lock.tryAcquire();
        retryMs = RETRY_MIN_MS;
      } catch (error) {
        this.logger.warn(`Postgres unreachable, retrying in ${retryMs} ms: ${errorMessage(error)}`);
        await sleep(retryMs, signal);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      if (!acquired) {
        if (!standbyLogged) this.logger.log('projector standing by: another projector is active');
        standbyLogged = true;
        await sleep(LOCK_INTERVAL_MS, signal);
        continue;
      }
      standbyLogged = false;
      await this.lead(lock, signal);
    }
    await lock.release();
  }

  private async lead(lock: LeaderLock, signal: AbortSignal): Promise<void> {
    this.logger.log('projector active: holding the projector lock');
    this.active = true;
    const lost = new AbortController();
    const held = lock.held(signal).then(() => lost.abort());
    let runner: ProjectionRunner | undefined;
    try {
      // A restarted server may have been restored: make sure the schema is there.
      await migrateReadModel(this.pool);
      runner = new ProjectionRunner(this.pool, this.store, {
        logger: { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
      });
      if (!lost.signal.aborted) runner.start();
      await Promise.race([held, this.logLag(lost.signal)]);
    } catch (error) {
      this.logger.warn(`projector could not run: ${errorMessage(error)}`);
    } finally {
      await runner?.stop();
      this.active = false;
    }
    if (!signal.aborted) {
      this.logger.warn('projector lock lost: stopped projecting');
      await lock.release();
      await sleep(RETRY_MIN_MS, signal);
    }
  }

  /**
   * Reads the lag every 10 s and logs it when it changed meaningfully (lagSummary): the first
   * reading of this term, then only a change of state, so a healthy projector stays quiet.
   */
  private async logLag(signal: AbortSignal): Promise<void> {
    let logged: string | undefined;
    while (!signal.aborted) {
      await sleep(LAG_READ_INTERVAL_MS, signal);
      if (signal.aborted) return;
      try {
        const status = await readProjectionStatus(this.pool, this.store);
        const summary = lagSummary(status);
        if (summary === logged) continue;
        logged = summary;
        this.logger.log(lagLine(status));
      } catch (error) {
        // The next reading that works is logged, so the log shows the lag is known again.
        logged = undefined;
        this.logger.warn(`could not read the projection lag: ${errorMessage(error)}`);
      }
    }
  }
}
