// When the relay cannot be reached at all, every email would fail the same way: after `failureThreshold`
// such failures in a row sending stops (the BullMQ worker pauses), the relay is probed with backoff (1 s
// doubling to 60 s), and sending resumes once it answers. A relay that turns away the odd message (a 421
// now and then between deliveries) never gets there: any answer from it starts the count again. Each such
// failure costs the email no attempt; it is retried after the initial backoff, or at the next probe time
// while the breaker is open. The numbers are the domain's RelayCircuitPolicy.

import { DEFAULT_RELAY_CIRCUIT_POLICY, type RelayCircuitPolicy } from '@app/domain';

export interface CircuitBreakerHooks {
  /** Stop taking jobs; jobs already running finish. */
  readonly pause: () => Promise<void>;
  readonly resume: () => void;
  /** Resolves when the relay answers. */
  readonly probe: () => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

export class CircuitBreaker {
  private backoffMs = 0;
  private failuresInARow = 0;
  private nextProbeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly hooks: CircuitBreakerHooks,
    private readonly options: RelayCircuitPolicy = DEFAULT_RELAY_CIRCUIT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.backoffMs > 0;
  }

  /**
   * A send found the relay unavailable: opens the breaker at the threshold, and returns when to try that
   * email again (epoch ms): the next probe while open, else after the initial backoff.
   */
  recordFailure(): number {
    this.failuresInARow += 1;
    if (!this.isOpen && this.failuresInARow >= this.options.failureThreshold) {
      this.backoffMs = this.options.initialBackoffMs;
      this.hooks.pause().catch((error: unknown) => this.hooks.onError?.(error));
      this.scheduleProbe();
    }
    return this.isOpen ? this.nextProbeAt : this.now() + this.options.initialBackoffMs;
  }

  /** The relay answered a send (accepted or refused the message): it is there. */
  recordAnswer(): void {
    this.failuresInARow = 0;
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
    this.failuresInARow = 0;
    if (!this.closed) this.hooks.resume();
  }
}
