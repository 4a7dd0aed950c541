import type { StreamAppend, StreamAppendResult } from '../event-store.port';

/** Appends written in one transaction at most. */
const MAX_BATCH = 1_000;
/** Batches written at once. */
const MAX_IN_FLIGHT = 2;

interface Waiting {
  readonly append: StreamAppend;
  readonly resolve: (result: StreamAppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends from concurrent callers, written together: while the writes in flight run, the appends that
 * arrive wait and go as one batch in the next. Every transaction costs PostgreSQL a WAL flush at commit,
 * and with a thousand emails falling due at once those flushes were what the workers waited on; queued,
 * a burst of single appends becomes a few commits, while a lone append still goes at once.
 */
export class AppendQueue {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (appends: readonly StreamAppend[]) => Promise<StreamAppendResult[]>,
  ) {}

  /** Each append's result, in order, whichever batches they went in. */
  submit(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    const results = appends.map(
      (append) =>
        new Promise<StreamAppendResult>((resolve, reject) =>
          this.waiting.push({ append, resolve, reject }),
        ),
    );
    this.pump();
    return Promise.all(results);
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.writeBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async writeBatch(batch: readonly Waiting[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.append));
      batch.forEach((w, i) => {
        const result = results[i];
        if (result === undefined)
          w.reject(new Error('the store answered fewer appends than given'));
        else w.resolve(result);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
