// When the relay cannot be reached at all, every email would fail the same way: sending stops (the BullMQ
// worker pauses), the relay is probed with backoff (1 s doubling to 60 s), and sending resumes once it
// answers. Each failure recorded meanwhile is retried at the next probe time and costs the email no attempt.

export interface CircuitBreakerHooks {
  /** Stop taking jobs; jobs already running finish. */
  readonly pause: () => Promise<void>;
  readonly resume: () => void;
  /** Resolves when the relay answers. */
  readonly probe: () => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

export interface CircuitBreakerOptions {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: CircuitBreakerOptions = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
};

export class CircuitBreaker {
  private backoffMs = 0;
  private nextProbeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly hooks: CircuitBreakerHooks,
    private readonly options: CircuitBreakerOptions = DEFAULT_BREAKER_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.backoffMs > 0;
  }

  /** Opens the breaker (if it is not open yet) and returns when the relay will be probed next (epoch ms). */
  trip(): number {
    if (!this.isOpen) {
      this.backoffMs = this.options.initialBackoffMs;
      this.hooks.pause().catch((error: unknown) => this.hooks.onError?.(error));
      this.scheduleProbe();
    }
    return this.nextProbeAt;
  }

  /** Stops probing for good (shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.nextProbeAt = this.now() + this.backoffMs;
    this.timer = setTimeout(() => void this.probe(), this.backoffMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.hooks.probe();
    } catch {
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
      this.scheduleProbe();
      return;
    }
    this.backoffMs = 0;
    if (!this.closed) this.hooks.resume();
  }
}
