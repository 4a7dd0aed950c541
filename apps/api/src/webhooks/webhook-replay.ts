import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { EmailStreams } from '@app/email-streams';
import { PG_POOL } from '@app/platform';
import { READ_MODEL_VIEWS } from '@app/read-model';
import {
  deliveriesFor,
  subscribesTo,
  webhookMessagesOf,
  type EndpointSubscription,
  type WebhookMessage,
} from '@app/webhooks';
import { WebhooksRepository } from './webhooks.repository';

/** How much one replay call takes on. */
export interface ReplayLimits {
  /** Messages queued at most; a longer range is continued from `nextSince`. */
  readonly maxMessages: number;
  /** Emails read from the read model at a time. */
  readonly emailBatch: number;
}

export const REPLAY_LIMITS: ReplayLimits = { maxMessages: 10_000, emailBatch: 200 };
/** Streams read at once. */
const STREAM_READS_AT_ONCE = 8;
const ENQUEUE_BATCH = 1_000;

export interface ReplayRange {
  /** Both inclusive. */
  readonly since: Date;
  readonly until: Date;
}

export interface ReplayOutcome {
  readonly queued: number;
  /** Set when the range held more than one call queues: the `since` of the next call. */
  readonly nextSince?: Date;
}

const timeOf = (message: WebhookMessage): number => message.event.recordedAt.getTime();

/** Event time, then the store's order for events recorded in the same millisecond. */
function byEventTime(a: WebhookMessage, b: WebhookMessage): number {
  const { commit: ac, prepare: ap } = a.event.position;
  const { commit: bc, prepare: bp } = b.event.position;
  return timeOf(a) - timeOf(b) || (ac < bc ? -1 : ac > bc ? 1 : ap < bp ? -1 : ap > bp ? 1 : 0);
}

/**
 * The part of `sorted` (in event-time order) one call queues: all of it up to `cap`; past it, the messages
 * before the instant of the first one left over, and that instant is where the next call starts (since is
 * inclusive), so a client that continues from `nextSince` gets every message once. One instant holding more
 * than `cap` messages by itself is taken whole, or a client could never get past it.
 */
export function cutAtCap(
  sorted: readonly WebhookMessage[],
  cap: number,
): { readonly taken: readonly WebhookMessage[]; readonly nextSince?: Date } {
  const first = sorted[0];
  const leftOver = sorted[cap];
  if (first === undefined || leftOver === undefined) return { taken: sorted };
  const boundary = timeOf(leftOver);
  if (timeOf(first) < boundary) {
    return {
      taken: sorted.filter((message) => timeOf(message) < boundary),
      nextSince: new Date(boundary),
    };
  }
  return {
    taken: sorted.filter((message) => timeOf(message) === boundary),
    nextSince: new Date(boundary + 1),
  };
}

/** What a replay keeps once it holds more than `cap`: whatever can still be taken (see cutAtCap). */
function prune(sorted: WebhookMessage[], cap: number): WebhookMessage[] {
  const leftOver = sorted[cap];
  if (leftOver === undefined) return sorted;
  const boundary = timeOf(leftOver);
  return sorted.filter((message) => timeOf(message) <= boundary);
}

interface EmailKey {
  readonly email_id: string;
  readonly created_at: Date;
}

/**
 * `POST /v1/webhooks/:id/replay`: the endpoint's subscribed messages of its tenant's events recorded in a
 * range, read again from the emails' streams and queued again (`existing: 'again'`), so a message delivered
 * before is sent again with its own `webhook-id`.
 */
@Injectable()
export class WebhookReplay {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly streams: EmailStreams,
    private readonly endpoints: WebhooksRepository,
  ) {}

  /** `limits`: the api's own, smaller in a test that follows `nextSince` through a short history. */
  async replay(
    endpoint: EndpointSubscription,
    range: ReplayRange,
    limits: ReplayLimits = REPLAY_LIMITS,
  ): Promise<ReplayOutcome> {
    const { taken, nextSince } = cutAtCap(
      await this.messagesIn(endpoint, range, limits),
      limits.maxMessages,
    );
    const deliveries = deliveriesFor(taken, [endpoint]);
    let queued = 0;
    for (let start = 0; start < deliveries.length; start += ENQUEUE_BATCH) {
      queued += await this.endpoints.enqueue(deliveries.slice(start, start + ENQUEUE_BATCH), {
        existing: 'again',
      });
    }
    // A crowded last instant taken whole leaves nothing after it in the range.
    return nextSince === undefined || nextSince > range.until ? { queued } : { queued, nextSince };
  }

  /**
   * The subscribed messages recorded in the range, in event-time order: all of them, or (past the cap) at
   * least those cutAtCap takes. Emails are read in the order of their first event, so once more than the cap
   * is held, an email whose first event is past the cap's boundary can add nothing earlier: the reading stops.
   */
  private async messagesIn(
    endpoint: EndpointSubscription,
    { since, until }: ReplayRange,
    { maxMessages, emailBatch }: ReplayLimits,
  ): Promise<WebhookMessage[]> {
    let held: WebhookMessage[] = [];
    let after: EmailKey | undefined;
    for (;;) {
      const emails = await this.emailsIn(endpoint.tenantId, { since, until }, after, emailBatch);
      const boundary = held[maxMessages];
      const useful =
        boundary === undefined
          ? emails
          : emails.filter((email) => email.created_at.getTime() <= timeOf(boundary));
      for (let start = 0; start < useful.length; start += STREAM_READS_AT_ONCE) {
        const streams = await Promise.all(
          useful
            .slice(start, start + STREAM_READS_AT_ONCE)
            .map((email) => this.streams.read(email.email_id)),
        );
        for (const stream of streams) {
          for (const message of webhookMessagesOf(stream)) {
            const at = timeOf(message);
            if (at < since.getTime() || at > until.getTime()) continue;
            if (!subscribesTo(endpoint.eventTypes, message.type)) continue;
            held.push(message);
          }
        }
      }
      held = prune(held.sort(byEventTime), maxMessages);
      if (emails.length < emailBatch || useful.length < emails.length) return held;
      after = emails[emails.length - 1];
    }
  }

  /**
   * The tenant's emails that may have events in [since, until], from the read model: an email's row holds the
   * time of its first event (created_at) and of the last one it reflects (updated_at), and every event of it
   * lies between the two, so an email with an event in the range has created_at ≤ until and updated_at ≥
   * since. An event the projection has not reached yet may be missed; it is that recent, and the dispatcher's
   * fan-out, which follows the store itself, delivers it anyway.
   */
  private async emailsIn(
    tenantId: string,
    { since, until }: ReplayRange,
    after: EmailKey | undefined,
    limit: number,
  ): Promise<EmailKey[]> {
    const { rows } = await this.pool.query<EmailKey>(
      `SELECT email_id, created_at FROM ${READ_MODEL_VIEWS.emails}
        WHERE tenant_id = $1 AND created_at <= $3 AND updated_at >= $2
          AND ($4::timestamptz IS NULL OR (created_at, email_id) > ($4::timestamptz, $5::uuid))
        ORDER BY created_at, email_id
        LIMIT $6`,
      [tenantId, since, until, after?.created_at ?? null, after?.email_id ?? null, limit],
    );
    return rows;
  }
}
