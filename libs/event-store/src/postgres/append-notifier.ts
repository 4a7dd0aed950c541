import type { Pool } from 'pg';

/**
 * The least time between two NOTIFYs: subscribers read at most that often while live (the subscription's
 * LIVE_READ_INTERVAL_MS), so more would only cost each appender a query. A quiet store notifies at once.
 */
const MIN_INTERVAL_MS = 20;

/**
 * Tells listening subscribers that events were appended, after the append committed.
 *
 * NOTIFY inside the append transaction would be simpler, but PostgreSQL serialises the commits of
 * all notifying transactions on one lock held through the commit's WAL flush (async.c,
 * PreCommit_Notify), which would cap appends at one commit at a time. Sent afterwards, and
 * coalesced so that a burst of appends costs one NOTIFY in flight plus at most one queued, the
 * hint stays cheap: at most one every MIN_INTERVAL_MS. It is only a hint: subscribers poll as a
 * safety net if one is ever lost.
 */
export class AppendNotifier {
  private inFlight = false;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
  ) {}

  notify(): void {
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = true;
    this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, ''])
      .catch(() => undefined) // a lost hint costs one safety-net poll interval, nothing more
      .finally(() => {
        setTimeout(() => {
          this.inFlight = false;
          if (this.pending) {
            this.pending = false;
            this.notify();
          }
        }, MIN_INTERVAL_MS).unref();
      });
  }
}
