import { performance } from 'node:perf_hooks';

/**
 * Slots for sends that hold a claim: a send takes one before it claims its email and gives it back once the
 * relay has answered, so a claim (and the lease it starts) is only made when a connection will be free to
 * carry the message well inside the lease (ADR 0006). Without them, claims ran ahead of a slow relay and
 * leases expired while messages still queued for a connection.
 *
 * How many: per pooled connection, as many as can go one after another within half the final-dot budget,
 * judged by how long sends have been taking (a moving average): with a relay answering in milliseconds the
 * next claims are appended while a message is on the wire (one slot per connection left each connection idle
 * during the next claim's append: 37 % of plain BullMQ's rate in the burst bench), with one answering in
 * seconds no message waits behind another. Never fewer than one per connection, never more than
 * MAX_SLOTS_PER_CONNECTION.
 */
export const MAX_SLOTS_PER_CONNECTION = 10;
/** Weight of the newest measurement in the moving average. */
const SMOOTHING = 0.2;

export class SendSlots {
  private held = 0;
  private averageMs: number;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly connections: number,
    /** The budget a claimed send has before its final dot (LeaseBudget.finalDotMs). */
    private readonly budgetMs: number,
  ) {
    if (!Number.isInteger(connections) || connections < 1) {
      throw new RangeError(`connections must be ≥ 1, got ${connections}`);
    }
    // Until sends have been measured, assume the slowest that still fits: one per connection. (A first
    // guess of 100 ms let 10 claims per connection queue behind a relay taking 1.5 s each: 14 of 30 sends
    // in fault scenario 13 ran out of their final-dot budget.)
    this.averageMs = budgetMs / 2;
  }

  /** How many sends may hold a claim at once now. */
  get size(): number {
    const perConnection = Math.floor(this.budgetMs / 2 / Math.max(1, this.averageMs));
    return this.connections * Math.min(MAX_SLOTS_PER_CONNECTION, Math.max(1, perConnection));
  }

  get inUse(): number {
    return this.held;
  }

  /** Resolves with the slot's release once one is free; first come, first served. */
  async acquire(): Promise<() => void> {
    if (this.held < this.size && this.waiting.length === 0) this.held += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    const since = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.averageMs += SMOOTHING * (performance.now() - since - this.averageMs);
      this.held -= 1;
      this.admit();
    };
  }

  /** Lets waiting sends in while the (possibly changed) size allows. */
  private admit(): void {
    while (this.held < this.size && this.waiting.length > 0) {
      this.held += 1;
      this.waiting.shift()?.();
    }
  }
}
