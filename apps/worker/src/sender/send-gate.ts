import { Injectable, Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';

/** Why the worker is not taking jobs: the relay cannot be reached, or the host clock is off. */
export type GateReason = 'relay' | 'clock';

/**
 * The one switch that pauses and resumes the BullMQ worker. Several causes may hold it closed at once, and
 * only when the last of them clears does the worker take jobs again.
 */
@Injectable()
export class SendGate {
  private readonly logger = new Logger('SendGate');
  private readonly reasons = new Set<GateReason>();
  private worker: Worker | undefined;

  /** The gate pauses this worker; if a cause arrived first, at once. */
  attach(worker: Worker): void {
    this.worker = worker;
    if (this.reasons.size > 0) this.pause();
  }

  isClosedBy(reason: GateReason): boolean {
    return this.reasons.has(reason);
  }

  close(reason: GateReason): void {
    if (this.reasons.has(reason)) return;
    this.reasons.add(reason);
    if (this.reasons.size === 1) this.pause();
  }

  open(reason: GateReason): void {
    if (!this.reasons.delete(reason) || this.reasons.size > 0) return;
    this.worker?.resume().catch((error: unknown) => {
      this.logger.error(`could not resume the worker: ${String(error)}`);
    });
  }

  private pause(): void {
    // Not waiting for the running jobs: this may be called from inside one of them.
    this.worker?.pause(true).catch((error: unknown) => {
      this.logger.error(`could not pause the worker: ${String(error)}`);
    });
  }
}
