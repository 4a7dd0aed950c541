// Realistic email histories for read-side tests and benches: domain events as the api and worker
// store them (type, data, metadata with the schema version and tenant).
import { randomUUID } from 'node:crypto';
import { EMAIL_EVENT_SCHEMA_VERSION, type EmailEvent } from '@app/domain';
import type { EventStore, EventToAppend } from '@app/event-store';

export const HISTORY_TENANTS = ['tenant-a', 'tenant-b'] as const;
const SENDERS = ['news@a.example', 'Billing@A.example', 'ops@b.example'];
const BASE = Date.parse('2030-01-01T09:00:00.000Z');

function at(ms: number): string {
  return new Date(BASE + ms).toISOString();
}

/** The life of email number `n`: one of eight shapes, every event type represented. */
export function emailHistory(emailId: string, n: number): EmailEvent[] {
  const sendAt = at((n % 48) * 15 * 60_000);
  const tenantId = HISTORY_TENANTS[n % HISTORY_TENANTS.length] ?? 'tenant-a';
  const events: EmailEvent[] = [
    {
      type: 'EmailScheduled',
      data: {
        emailId,
        tenantId,
        from: { address: SENDERS[n % SENDERS.length] ?? 'x@a.example', name: 'Sender' },
        to: [{ address: `user${n % 97}@example.com` }],
        cc: n % 5 === 0 ? [{ address: 'cc@example.com', name: 'Cc' }] : [],
        bcc: [],
        subject: `Subject ${n}`,
        text: 'Hello',
        requestedSendAt: sendAt,
        sendAt,
        maxAttempts: 3,
        tags: n % 3 === 0 ? ['news', `batch-${n % 7}`] : [],
        scheduledAt: at(-60_000),
      },
    },
  ];
  const attempt = (number: number, ms: number): EmailEvent => ({
    type: 'EmailSendAttempted',
    data: {
      attempt: number,
      workerId: 'w1',
      jobId: `${emailId}:${number}`,
      claimedAt: at(ms),
      leaseUntil: at(ms + 60_000),
    },
  });
  const sent = (number: number, ms: number): EmailEvent => ({
    type: 'EmailSent',
    data: { attempt: number, messageId: `<${emailId}@mx>`, response: '250 ok', sentAt: at(ms) },
  });
  const offset = Date.parse(sendAt) - BASE;
  switch (n % 8) {
    case 0: // still scheduled
      break;
    case 1: // rescheduled
      events.push({
        type: 'EmailRescheduled',
        data: { sendAt: at(offset + 3_600_000), previousSendAt: sendAt, rescheduledAt: at(0) },
      });
      break;
    case 2: // cancelled
      events.push({ type: 'EmailCancelled', data: { cancelledAt: at(0), reason: 'changed mind' } });
      break;
    case 3: // attempting
      events.push(attempt(1, offset));
      break;
    case 4: // failed once, then sent
      events.push(attempt(1, offset), {
        type: 'EmailFailed',
        data: {
          attempt: 1,
          failure: { kind: 'transient', code: 451, message: 'try later' },
          failedAt: at(offset + 1_000),
          countsAsAttempt: true,
          final: false,
          retryAt: at(offset + 60_000),
        },
      });
      events.push(attempt(2, offset + 60_000), sent(2, offset + 61_000));
      break;
    case 5: // failed for good
      events.push(attempt(1, offset), {
        type: 'EmailFailed',
        data: {
          attempt: 1,
          failure: { kind: 'permanent', code: 550, message: 'no such user' },
          failedAt: at(offset + 2_000),
          countsAsAttempt: true,
          final: true,
        },
      });
      break;
    case 6: // deferred by a rate limit, then sent
      events.push(
        {
          type: 'EmailDeferred',
          data: { until: at(offset + 120_000), limit: 'sender', deferredAt: at(offset) },
        },
        attempt(1, offset + 120_000),
        sent(1, offset + 121_500),
      );
      break;
    default: // in doubt, resent
      events.push(
        attempt(1, offset),
        {
          type: 'EmailSendInDoubt',
          data: {
            attempt: 1,
            leaseUntil: at(offset + 60_000),
            detectedAt: at(offset + 61_000),
            resolution: 'resend',
            retryAt: at(offset + 61_000),
          },
        },
        attempt(2, offset + 61_000),
        sent(2, offset + 62_000),
      );
  }
  return events;
}

/** The stored form of domain events (as the api's mapping writes them). */
export function toStoredEvents(events: readonly EmailEvent[], tenantId: string): EventToAppend[] {
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: { ...event.data },
    metadata: { schemaVersion: EMAIL_EVENT_SCHEMA_VERSION, tenantId },
  }));
}

/**
 * Appends `count` email histories, interleaved: every email's next event goes in round by round,
 * so one stream's events are spread over many batches. Returns the email ids.
 */
export async function appendEmailHistories(
  store: EventStore,
  count: number,
  firstNumber = 0,
  concurrency = 8,
): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => {
    const emailId = randomUUID();
    const n = firstNumber + i;
    const events = emailHistory(emailId, n);
    const tenantId = HISTORY_TENANTS[n % HISTORY_TENANTS.length] ?? 'tenant-a';
    return { emailId, stored: toStoredEvents(events, tenantId) };
  });
  const rounds = Math.max(...emails.map((e) => e.stored.length));
  for (let round = 0; round < rounds; round += 1) {
    const due = emails.filter((e) => e.stored.length > round);
    for (let i = 0; i < due.length; i += concurrency) {
      await Promise.all(
        due.slice(i, i + concurrency).map(async ({ emailId, stored }) => {
          const event = stored[round];
          if (event) {
            await store.append(`email-${emailId}`, [event], round === 0 ? 'no-stream' : round - 1);
          }
        }),
      );
    }
  }
  return emails.map((e) => e.emailId);
}
