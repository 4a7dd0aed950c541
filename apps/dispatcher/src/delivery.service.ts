import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sleep } from '@app/async';
import { APP_CONFIG, PG_POOL, errorMessage, type AppConfig } from '@app/platform';
import { nextRetryDelayMs, postWebhook, signedHeaders, type PostOutcome } from '@app/webhooks';
import type { Pool } from 'pg';
import {
  claimDueDeliveries,
  recordAttempt,
  type AttemptRecord,
  type ClaimedDelivery,
  type RecordedOutcome,
} from './deliveries';

/** Past the request's own timeout, so a lease never expires while its attempt can still be answered. */
const LEASE_MARGIN_MS = 2_000;
/** How often an idle dispatcher looks for due deliveries (the fan-out wakes it at once when it enqueues). */
const IDLE_POLL_MS = 100;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;
/** What of a receiver's answer (or an error) is kept: the api shows it, so it is short and printable. */
const MAX_EXCERPT_CHARS = 1_024;

/** Up to `length` characters of `text` without control characters (Postgres text refuses NUL). */
function printable(text: string, length = MAX_EXCERPT_CHARS): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').slice(0, length);
}

export interface AttemptObserver {
  attempted(delivery: ClaimedDelivery, outcome: RecordedOutcome, finishedAt: Date): void;
}

/**
 * Delivers: up to WEBHOOK_CONCURRENCY attempts in flight, each on a delivery claimed under a lease, signed,
 * posted, and recorded only while the lease is still ours. A dispatcher killed mid-attempt leaves a lease that
 * expires; the delivery is then attempted again, by any dispatcher, with the same webhook-id.
 */
@Injectable()
export class DeliveryService implements BeforeApplicationShutdown {
  /** leased_by: this process, distinct across restarts and hosts. */
  readonly dispatcherId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger('Delivery');
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private observer: AttemptObserver | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  start(observer: AttemptObserver): void {
    this.observer = observer;
    this.loop = this.run();
  }

  /** Something may be due now (the fan-out enqueued): look without waiting for the poll. */
  nudge(): void {
    this.wake?.();
  }

  get attemptsInFlight(): number {
    return this.inFlight.size;
  }

  /** SIGTERM: no new claims; the attempts in flight finish (each within WEBHOOK_TIMEOUT_MS) and are recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const { concurrency, endpointConcurrency, timeoutMs } = this.config.webhooks;
    let retryMs = RETRY_MIN_MS;
    while (!signal.aborted) {
      const free = concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await claimDueDeliveries(this.pool, {
            dispatcherId: this.dispatcherId,
            limit: free,
            endpointConcurrency,
            leaseMs: timeoutMs + LEASE_MARGIN_MS,
          });
          retryMs = RETRY_MIN_MS;
        } catch (error) {
          this.logger.warn(
            `could not claim deliveries, retrying in ${retryMs} ms: ${errorMessage(error)}`,
          );
          await sleep(retryMs, signal);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          continue;
        }
      }
      for (const delivery of claimed) {
        const attempt: Promise<void> = this.attempt(delivery).finally(() => {
          this.inFlight.delete(attempt);
          this.wake?.();
        });
        this.inFlight.add(attempt);
      }
      // Claimed all it could: more may be due at once. Otherwise wait for a free slot, a nudge or the poll.
      if (claimed.length > 0 && claimed.length === free) continue;
      await this.idle(signal);
    }
  }

  private idle(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const controller = new AbortController();
      const done = (): void => {
        this.wake = undefined;
        controller.abort();
        resolve();
      };
      this.wake = done;
      void sleep(IDLE_POLL_MS, AbortSignal.any([signal, controller.signal])).then(done);
    });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { timeoutMs, allowPrivateNetworks, retryDelaysMs, disableAfterMs } = this.config.webhooks;
    const startedAt = new Date();
    const headers = signedHeaders(
      delivery.secrets,
      delivery.messageId,
      startedAt,
      delivery.payload,
    );
    const posted = await postWebhook(delivery.url, headers, delivery.payload, {
      timeoutMs,
      allowPrivateNetworks,
    });
    const record = toRecord(posted, startedAt, delivery.roundAttempts + 1, retryDelaysMs);
    try {
      const { outcome, disabledReason } = await recordAttempt(
        this.pool,
        this.dispatcherId,
        delivery,
        record,
        { disableAfterMs },
      );
      if (outcome.kind === 'lease-lost') {
        this.logger.warn(`delivery ${delivery.id}: lease lost before its attempt was recorded`);
      }
      if (disabledReason !== undefined) {
        this.logger.warn(`endpoint ${delivery.endpointId} disabled: ${disabledReason}`);
      }
      this.observer?.attempted(delivery, outcome, new Date());
    } catch (error) {
      // Unrecorded, the lease runs out and the message is sent again with the same webhook-id.
      this.logger.warn(`delivery ${delivery.id}: attempt not recorded: ${errorMessage(error)}`);
    }
  }
}

function toRecord(
  posted: PostOutcome,
  startedAt: Date,
  attemptNumber: number,
  retryDelaysMs: readonly number[],
): AttemptRecord {
  const succeeded =
    posted.kind === 'response' && posted.statusCode >= 200 && posted.statusCode <= 299;
  const delay = succeeded ? undefined : nextRetryDelayMs(retryDelaysMs, attemptNumber);
  return {
    startedAt,
    statusCode: posted.kind === 'response' ? posted.statusCode : null,
    latencyMs: Math.max(0, Math.round(posted.latencyMs)),
    responseExcerpt: posted.kind === 'response' ? printable(posted.responseExcerpt) : null,
    error: posted.kind === 'error' ? printable(posted.error) : null,
    succeeded,
    nextAttemptAt: delay === undefined ? undefined : new Date(Date.now() + delay),
  };
}
