import { sleep } from '@app/async';
import { EMAIL_CATEGORY } from '@app/email-streams';
import type { EventStore, Position, Subscription } from '@app/event-store';
import { errorMessage } from '@app/platform';
import type { Pool } from 'pg';
import { EMAIL_PROJECTION } from './generations';
import {
  applyLiveBatch,
  readProjection,
  rebuildStep,
  takeRebuildRequest,
  toPosition,
  type ReadAhead,
} from './projection';

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  /** How often an idle runner looks for rebuild requests. */
  readonly rebuildPollMs?: number;
  readonly logger?: RunnerLogger;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
const DEFAULT_BATCH = 10_000;

/**
 * Runs the email projection: the live catch-up subscription from the stored checkpoint, and beside
 * it any requested rebuild. Failures (a lost connection, a moved checkpoint) restart the failing
 * loop from what is stored, with backoff; nothing here ever throws out.
 */
export class ProjectionRunner {
  /** Aborted by stop(): the loops end and their waits are cut short. */
  private readonly stopped = new AbortController();
  private subscription: Subscription | undefined;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  start(): void {
    this.loops = [this.liveLoop(), this.rebuildLoop()];
  }

  /** Stops both loops; resolves once the batch in hand has committed (or failed). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.subscription?.stop();
    await Promise.all(this.loops);
  }

  private async liveLoop(): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    let retryMs = RETRY_MIN_MS;
    while (!this.stopping) {
      try {
        let checkpoint: Position | 'start' = toPosition((await readProjection(this.pool)).position);
        if (this.stopping) return;
        const subscription = this.store.subscribeToCategory(
          EMAIL_CATEGORY,
          async (batch) => {
            checkpoint = await applyLiveBatch(this.pool, checkpoint, batch, EMAIL_PROJECTION);
            retryMs = RETRY_MIN_MS;
          },
          {
            after: checkpoint,
            maxBatchSize: batchSize,
            onDrop: (error) => this.warn(`subscription dropped: ${errorMessage(error)}`),
          },
        );
        this.subscription = subscription;
        await subscription.done;
      } catch (error) {
        if (this.stopping) return;
        this.warn(
          `live projection stopped, resuming from the stored checkpoint: ${errorMessage(error)}`,
        );
      }
      await this.sleep(retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
  }

  private async rebuildLoop(): Promise<void> {
    const pollMs = this.options.rebuildPollMs ?? 1_000;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    let retryMs = RETRY_MIN_MS;
    let rebuilding: number | undefined;
    let readAhead: ReadAhead | undefined;
    while (!this.stopping) {
      try {
        const generation = await takeRebuildRequest(this.pool);
        if (generation !== rebuilding && generation !== undefined) {
          this.log(`rebuilding the email projection into generation ${generation}`);
        }
        rebuilding = generation;
        const result =
          generation === undefined
            ? { step: 'idle' as const, next: undefined }
            : await rebuildStep(this.pool, this.store, batchSize, EMAIL_PROJECTION, readAhead);
        const step = result.step;
        readAhead = result.next;
        retryMs = RETRY_MIN_MS;
        if (step === 'swapped') {
          this.log(`generation ${generation} is live`);
          rebuilding = undefined;
        }
        if (step === 'idle') await this.sleep(pollMs);
        else if (step === 'caught-up') await this.sleep(20);
      } catch (error) {
        readAhead = undefined;
        if (this.stopping) return;
        this.warn(`rebuild step failed, retrying: ${errorMessage(error)}`);
        await this.sleep(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }

  private get stopping(): boolean {
    return this.stopped.signal.aborted;
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.stopped.signal);
  }

  private log(message: string): void {
    this.options.logger?.log(message);
  }

  private warn(message: string): void {
    this.options.logger?.warn(message);
  }
}
