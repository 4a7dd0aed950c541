import { randomUUID } from 'node:crypto';
import { FAILURE_REASONS, type EmailEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { emailStreamName } from '@app/email-streams';
import { emailHistory } from '@app/testing';
import { deliveriesFor } from './delivery-queue';
import {
  WEBHOOK_EVENT_TYPES,
  subscribesTo,
  webhookMessageId,
  webhookMessagesOf,
} from './webhook-messages';

/** An email's history as the store records it: revisions from 0, positions increasing. */
function recorded(emailId: string, events: readonly EmailEvent[], base = 1000n): RecordedEvent[] {
  return events.map((event, revision) => ({
    id: randomUUID(),
    streamName: emailStreamName(emailId),
    revision,
    type: event.type,
    data: event.data,
    metadata: {},
    recordedAt: new Date(Date.UTC(2030, 0, 1, 9, 0, revision)),
    position: { commit: base + BigInt(revision), prepare: base + BigInt(revision) },
  }));
}

/** Histories with the time-and-groups events: paused, resumed and expired; failed, then retried. */
function timeAndGroups(): RecordedEvent[][] {
  const at = '2030-01-01T09:00:00.000Z';
  const held = randomUUID();
  const retried = randomUUID();
  const [heldScheduled] = emailHistory(held, 0);
  const [retriedScheduled] = emailHistory(retried, 0);
  if (!heldScheduled || !retriedScheduled) throw new Error('emailHistory gave no EmailScheduled');
  return [
    recorded(held, [
      heldScheduled,
      { type: 'EmailPaused', data: { pausedAt: at } },
      { type: 'EmailContentEdited', data: { editedAt: at, changes: { subject: 'Edited' } } },
      { type: 'EmailResumed', data: { resumedAt: at, dueAt: at } },
      { type: 'EmailExpired', data: { expiredAt: at, expiresAt: at, reason: 'deadline-passed' } },
      {
        type: 'EmailAttachmentsPurged',
        data: { purgedAt: at, sha256: ['a'.repeat(64)], retentionMs: 0 },
      },
    ]),
    recorded(retried, [
      retriedScheduled,
      {
        type: 'EmailSendAttempted',
        data: { attempt: 1, workerId: 'w', jobId: 'j', claimedAt: at, leaseUntil: at },
      },
      {
        type: 'EmailFailed',
        data: {
          attempt: 1,
          failure: { kind: 'permanent', code: 550, message: '550 no such user' },
          final: true,
          failedAt: at,
          countsAsAttempt: true,
        },
      },
      { type: 'EmailRetryRequested', data: { requestedAt: at, dueAt: at, previousAttempts: 1 } },
    ]),
  ];
}

describe('webhookMessagesOf', () => {
  const histories = Array.from({ length: 16 }, (_, n) => {
    const emailId = randomUUID();
    return { emailId, n, stream: recorded(emailId, emailHistory(emailId, n)) };
  });

  it('gives one message per outcome event, none for the internal claim, with the state folded to its revision', () => {
    for (const { emailId, stream } of histories) {
      const messages = webhookMessagesOf(stream);
      const expected = stream.filter((event) => event.type !== 'EmailSendAttempted');
      expect(messages.map((m) => m.event.id)).toEqual(expected.map((event) => event.id));
      for (const message of messages) {
        expect(message.emailId).toBe(emailId);
        expect(message.payload.id).toBe(webhookMessageId(message.event.id));
        expect(message.payload.type).toBe(message.type);
        expect(message.payload.timestamp).toBe(message.event.recordedAt.toISOString());
        expect(message.payload.data).toMatchObject({ emailId, revision: message.event.revision });
        expect(WEBHOOK_EVENT_TYPES).toContain(message.type);
      }
    }
  });

  it('names the status right after each event: scheduled first, sent/failed/cancelled at the end', () => {
    const statuses = histories.map(({ stream }) =>
      webhookMessagesOf(stream).map((message) => message.payload.data['status']),
    );
    expect(statuses.every((list) => list[0] === 'scheduled')).toBe(true);
    const finals = new Set(statuses.map((list) => list[list.length - 1]));
    expect(finals).toEqual(new Set(['scheduled', 'sent', 'failed', 'cancelled']));
  });

  it('splits a failure the worker will retry (email.attempt_failed) from the final one (email.failed)', () => {
    const types = new Set(
      [...histories.map(({ stream }) => stream), ...timeAndGroups()].flatMap((stream) =>
        webhookMessagesOf(stream).map((m) => m.type),
      ),
    );
    for (const type of WEBHOOK_EVENT_TYPES) expect(types).toContain(type);
  });

  it('leaves the bodies and the idempotency key out of email.scheduled', () => {
    const [scheduled] = webhookMessagesOf(histories[0]?.stream ?? []);
    expect(scheduled?.payload.data).not.toHaveProperty('text');
    expect(scheduled?.payload.data).not.toHaveProperty('html');
    expect(scheduled?.payload.data).not.toHaveProperty('idempotencyKey');
    expect(scheduled?.payload.data).toHaveProperty('subject');
  });

  it('gives email.scheduled the batch, the schedule and the times asked (zone, window, deadline)', () => {
    const emailId = randomUUID();
    const [scheduled] = emailHistory(emailId, 0);
    if (scheduled?.type !== 'EmailScheduled')
      throw new Error('emailHistory gave no EmailScheduled');
    const asked = {
      timeZone: 'Europe/Paris',
      localSendAt: '2030-01-01T10:00',
      deliveryWindow: { timeZone: 'Europe/Paris', days: ['mon'], start: '09:00', end: '17:00' },
      expiresAt: '2030-01-01T12:00:00.000Z',
      batchId: randomUUID(),
      scheduleId: randomUUID(),
      occurrenceAt: '2030-01-01T09:00:00.000Z',
    } as const;
    const [message] = webhookMessagesOf(
      recorded(emailId, [{ type: 'EmailScheduled', data: { ...scheduled.data, ...asked } }]),
    );
    expect(message?.payload.data).toMatchObject(asked);
  });

  it('shows a tenant what its own history shows it: no relay text, no worker ids', () => {
    const messages = histories.flatMap(({ stream }) => webhookMessagesOf(stream));
    const sent = messages.filter((m) => m.type === 'email.sent');
    const failures = messages.filter(
      (m) => m.type === 'email.failed' || m.type === 'email.attempt_failed',
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    for (const message of sent) expect(message.payload.data).not.toHaveProperty('response');
    for (const message of failures) {
      const failure = message.payload.data['failure'] as {
        kind: keyof typeof FAILURE_REASONS;
        message: string;
      };
      expect(failure.message).toBe(FAILURE_REASONS[failure.kind]);
    }
    expect(JSON.stringify(messages.map((m) => m.payload))).not.toMatch(/workerId/);
  });

  it('gives only the messages from a revision on, still folded from the start', () => {
    const { stream } = histories.find(({ stream }) => stream.length >= 4) ?? { stream: [] };
    const all = webhookMessagesOf(stream);
    const later = webhookMessagesOf(stream, 2);
    expect(later).toEqual(all.filter((message) => message.event.revision >= 2));
  });

  it("carries the email's metadata as it stood after each event, and which parts an edit changed", () => {
    const emailId = randomUUID();
    const [scheduled] = emailHistory(emailId, 0);
    if (scheduled?.type !== 'EmailScheduled')
      throw new Error('emailHistory gave no EmailScheduled');
    const at = '2030-01-01T09:30:00.000Z';
    const messages = webhookMessagesOf(
      recorded(emailId, [
        {
          ...scheduled,
          data: {
            ...scheduled.data,
            metadata: { customer: '42' },
            headers: [{ name: 'X-Campaign', value: 'spring' }],
          },
        },
        {
          type: 'EmailContentEdited',
          data: {
            editedAt: at,
            changes: { subject: 'Edited', metadata: { customer: '43' } },
            removed: ['headers'],
          },
        },
        { type: 'EmailCancelled', data: { cancelledAt: at } },
      ]),
    );
    expect(messages.map((m) => [m.type, m.payload.data.metadata])).toEqual([
      ['email.scheduled', { customer: '42' }],
      ['email.content_edited', { customer: '43' }],
      ['email.cancelled', { customer: '43' }],
    ]);
    expect(messages[1]?.payload.data).toMatchObject({
      changed: ['subject', 'metadata'],
      removed: ['headers'],
    });
    expect(JSON.stringify(messages.map((m) => m.payload))).not.toContain('X-Campaign');
  });

  it('keeps the message id stable: the same event gives the same id every time', () => {
    const { stream } = histories[3] ?? { stream: [] };
    expect(webhookMessagesOf(stream).map((m) => m.payload.id)).toEqual(
      webhookMessagesOf(stream).map((m) => m.payload.id),
    );
  });
});

describe('deliveriesFor', () => {
  const emailId = randomUUID();
  const history = emailHistory(emailId, 4);
  const tenant = (history[0]?.data as { tenantId: string }).tenantId;
  const messages = webhookMessagesOf(recorded(emailId, history));

  it('addresses a message only to endpoints of its own tenant that subscribe to its type', () => {
    const deliveries = deliveriesFor(messages, [
      { id: 'mine-all', tenantId: tenant, eventTypes: ['*'] },
      { id: 'mine-sent', tenantId: tenant, eventTypes: ['email.sent'] },
      { id: 'other-tenant', tenantId: `${tenant}-other`, eventTypes: ['*'] },
    ]);
    expect(deliveries.filter((d) => d.endpointId === 'other-tenant')).toEqual([]);
    expect(deliveries.filter((d) => d.endpointId === 'mine-all')).toHaveLength(messages.length);
    expect(deliveries.filter((d) => d.endpointId === 'mine-sent').map((d) => d.eventType)).toEqual(
      messages.filter((m) => m.type === 'email.sent').map(() => 'email.sent'),
    );
  });

  it('sends the payload as the JSON of the documented message, in the stream order', () => {
    const deliveries = deliveriesFor(messages, [{ id: 'e', tenantId: tenant, eventTypes: ['*'] }]);
    expect(deliveries.map((d) => JSON.parse(d.payload) as unknown)).toEqual(
      messages.map((m) => m.payload),
    );
    expect(deliveries.map((d) => d.position)).toEqual(messages.map((m) => m.event.position));
  });

  it('subscribesTo: * takes every type, a list only its own', () => {
    expect(subscribesTo(['*'], 'email.sent')).toBe(true);
    expect(subscribesTo(['email.failed'], 'email.sent')).toBe(false);
  });
});
