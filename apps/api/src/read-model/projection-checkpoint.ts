import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { comparePositions, type Position } from '@app/event-store';
import { PG_POOL } from '@app/platform';
import { EMAIL_PROJECTION, toPosition } from '@app/read-model';
import type { Pool } from 'pg';

/** How often the checkpoint is read while someone waits on it. */
const POLL_MS = 25;

interface Waiter {
  readonly target: Position;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Read-your-writes: waits, a bounded time, for the email projection's checkpoint to reach a
 * position. One poll loop serves every waiter (a single-row primary-key read every 25 ms, and
 * only while someone waits), so a burst of waiting requests costs one query per tick.
 */
@Injectable()
export class ProjectionCheckpoint implements OnApplicationShutdown {
  private readonly waiters = new Set<Waiter>();
  private polling: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** True once the checkpoint is at or past `target`; false if `timeoutMs` passes first. */
  async waitFor(target: Position, timeoutMs: number): Promise<boolean> {
    if (await this.reached(target)) return true;
    if (timeoutMs <= 0 || this.closed) return false;
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        target,
        resolve,
        timer: setTimeout(() => this.settle(waiter, false), timeoutMs),
      };
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  private async reached(target: Position): Promise<boolean> {
    const checkpoint = await this.read();
    return checkpoint !== 'start' && comparePositions(checkpoint, target) >= 0;
  }

  private async read(): Promise<Position | 'start'> {
    const { rows } = await this.pool.query<{ position: string | null }>(
      `SELECT position FROM read_model.projections WHERE name = $1`,
      [EMAIL_PROJECTION],
    );
    return toPosition(rows[0]?.position ?? null);
  }

  private schedule(): void {
    if (this.polling !== undefined || this.waiters.size === 0 || this.closed) return;
    this.polling = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async poll(): Promise<void> {
    try {
      const checkpoint = await this.read();
      if (checkpoint !== 'start') {
        for (const waiter of this.waiters) {
          if (comparePositions(checkpoint, waiter.target) >= 0) this.settle(waiter, true);
        }
      }
    } catch {
      // Postgres unreachable for a moment: keep polling until each waiter's deadline.
    } finally {
      this.polling = undefined;
      this.schedule();
    }
  }

  private settle(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }
}
