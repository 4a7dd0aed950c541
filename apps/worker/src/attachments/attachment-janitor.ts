// Deletes attachments' bytes a retention period after their email became final, recording it first in the
// email's stream (EmailAttachmentsPurged), so the history says why a download answers 410. Every worker runs
// it; the holders' row locks (SKIP LOCKED) keep two from looking at one email at once.

import { decide, finalAt, formatInstant, type EmailState } from '@app/domain';
import { AttachmentStore, UNAPPENDED_GRACE_MS, type DueHolder } from '@app/attachments';
import { EmailStreams } from '@app/email-streams';
import { ConcurrencyError } from '@app/event-store';

export interface JanitorSettings {
  readonly retentionMs: number;
  readonly intervalMs: number;
}

/** Holders looked at per transaction. */
const HOLDERS_PER_ROUND = 100;

export class AttachmentJanitor {
  constructor(
    private readonly store: AttachmentStore,
    private readonly streams: EmailStreams,
    private readonly settings: JanitorSettings,
  ) {}

  /** Every holder due by `nowMs`, in rounds; answers how many were looked at. */
  async runOnce(nowMs: number): Promise<number> {
    let seen = 0;
    for (;;) {
      const round = await this.store.visitDue(new Date(nowMs), HOLDERS_PER_ROUND, (holder) =>
        this.visit(holder, nowMs),
      );
      seen += round;
      if (round < HOLDERS_PER_ROUND) return seen;
    }
  }

  private async visit(holder: DueHolder, nowMs: number): Promise<Date | 'purge'> {
    const loaded = await this.streams.load(holder.emailId);
    const { state } = loaded;
    if (state.status === 'initial') {
      // The api stores the bytes just before the append: past the grace, the append never happened.
      const appendBy = holder.createdAt.getTime() + UNAPPENDED_GRACE_MS;
      return nowMs >= appendBy ? 'purge' : new Date(appendBy);
    }
    const final = finalAt(state);
    // Not final: looked at again by its due time, but at least daily, so one cancelled or sent early keeps its
    // bytes at most a day past its retention.
    if (final === undefined)
      return new Date(
        nowMs + Math.max(this.settings.intervalMs, Math.min(dueAtMs(state) - nowMs, RECHECK_MS)),
      );
    const purgeAtMs = Date.parse(final) + this.settings.retentionMs;
    if (nowMs < purgeAtMs) return new Date(purgeAtMs);
    const events = decide(
      {
        type: 'PurgeAttachments',
        data: { now: formatInstant(nowMs), retentionMs: this.settings.retentionMs },
      },
      state,
    );
    try {
      if (events.length > 0) await this.streams.advance(loaded, events);
    } catch (error) {
      // Someone wrote meanwhile (a concurrent purge, say): look again next time round.
      if (error instanceof ConcurrencyError) return new Date(nowMs);
      throw error;
    }
    return 'purge';
  }
}

/** The longest a live email's holder goes unvisited. */
const RECHECK_MS = 24 * 60 * 60_000;

function dueAtMs(state: EmailState): number {
  return 'dueAt' in state ? Date.parse(state.dueAt) : 0;
}
