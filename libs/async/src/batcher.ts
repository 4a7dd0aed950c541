/**
 * Requests from concurrent callers, served together: while `maxInFlight` batches are out, what arrives
 * waits and goes as one batch in the next. Every query is a round trip and every transaction a WAL flush
 * at commit, and with a thousand emails falling due at once those were what the workers waited on;
 * batched, a burst of single appends or reads becomes a few queries, while a lone one still goes at once.
 */
export class Batcher<In, Out> {
  private readonly waiting: {
    readonly input: In;
    readonly resolve: (output: Out) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private inFlight = 0;

  constructor(
    /** Serves a batch: one output per input, in order. */
    private readonly serve: (inputs: readonly In[]) => Promise<readonly Out[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
  ) {}

  /** Each input's output, in order, whichever batches they went in. */
  submit(inputs: readonly In[]): Promise<Out[]> {
    const outputs = inputs.map(
      (input) =>
        new Promise<Out>((resolve, reject) => this.waiting.push({ input, resolve, reject })),
    );
    this.pump();
    return Promise.all(outputs);
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.serveBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async serveBatch(batch: Batcher<In, Out>['waiting']): Promise<void> {
    try {
      const outputs = await this.serve(batch.map((w) => w.input));
      batch.forEach((w, i) => {
        if (i < outputs.length) w.resolve(outputs[i] as Out);
        else w.reject(new Error('the batch was answered for fewer inputs than given'));
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
