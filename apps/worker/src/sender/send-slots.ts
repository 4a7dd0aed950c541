/**
 * One slot per pooled SMTP connection: a send takes one before it claims its email, so a claim (and the
 * lease it starts) is only made when a connection is free to carry the message at once. Without it, claims
 * ran ahead of a slow relay and leases expired while messages still queued for a connection (ADR 0006).
 */
export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be ≥ 1, got ${size}`);
    this.free = size;
  }

  /** Resolves with the slot's release once one is free; first come, first served. */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }

  get inUse(): number {
    return this.size - this.free;
  }
}
