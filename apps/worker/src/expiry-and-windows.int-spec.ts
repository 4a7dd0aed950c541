// Deadlines and delivery windows through the whole worker (scheduler → delayed jobs → sender) on real Redis,
// Postgres and SMTP: emails whose expiresAt passes during a relay outage end expired and never reach the relay
// after it; an email due while its window is closed is deferred (the event says why) and sent at the opening,
// not before; a paused email past its deadline ends expired without a resume. One harness for the file; the
// window's email is scheduled first and checked last, since windows open on the minute.

import { formatInstant, type EmailEvent } from '@app/domain';
import { waitFor } from '@app/testing';
import { messageIdOf, WorkerHarness } from './testing/worker-harness';

const REDIS_URL = process.env.EXPIRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/3';
const MINUTE_MS = 60_000;

jest.setTimeout(90_000);

/** HH:MM in UTC of an instant. */
const clockTime = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

describe('expiry and delivery windows in the worker', () => {
  let harness: WorkerHarness;
  let windowed: { id: string; openingMs: number };

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL, { WORKER_CONCURRENCY: '10' });
    // Windows open on the minute, so this email waits up to a minute: scheduled before the worker boots, and
    // checked last, its wait overlaps everything else. Open every day from the next whole minute at least
    // 1.5 s away, for ten minutes: closed now.
    const openingMs = Math.ceil((Date.now() + 1_500) / MINUTE_MS) * MINUTE_MS;
    const deliveryWindow = {
      timeZone: 'UTC',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: clockTime(openingMs),
      end: clockTime(openingMs + 10 * MINUTE_MS),
    };
    const id = await harness.scheduleWith('window@example.com', Date.now(), { deliveryWindow });
    windowed = { id, openingMs };
    await harness.startWorker();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const statusOf = async (id: string): Promise<string> => (await harness.state(id)).status;

  /** No attempt claimed at or after the deadline, and nothing at the relay after it. */
  const neverLate = (id: string, expiresAtMs: number, history: readonly EmailEvent[]): void => {
    for (const event of history) {
      if (event.type === 'EmailSendAttempted') {
        expect(Date.parse(event.data.claimedAt)).toBeLessThan(expiresAtMs);
      }
    }
    for (const message of harness.sink.received(messageIdOf(id))) {
      expect(message.receivedAt).toBeLessThan(expiresAtMs);
    }
  };

  it('ends a paused email expired at its deadline, without a resume, and never sends it', async () => {
    // Due in 1 s, paused at once: without the deadline's job it would sit paused for ever.
    const expiresAtMs = Date.now() + 1_500;
    const id = await harness.scheduleWith('paused@example.com', Date.now() + 1_000, {
      expiresAt: formatInstant(expiresAtMs),
    });
    await harness.decide(id, { type: 'PauseEmail', data: { now: formatInstant(Date.now()) } });

    await waitFor(
      'the paused email to expire',
      async () => (await statusOf(id)) === 'expired',
      10_000,
      50,
    );
    const history = await harness.history(id);
    expect(history.map((e) => e.type)).toEqual(['EmailScheduled', 'EmailPaused', 'EmailExpired']);
    expect(history[2]).toMatchObject({
      data: { expiresAt: formatInstant(expiresAtMs), reason: 'deadline-passed' },
    });
    const expired = history[2] as Extract<EmailEvent, { type: 'EmailExpired' }>;
    expect(Date.parse(expired.data.expiredAt)).toBeGreaterThanOrEqual(expiresAtMs);
    expect(harness.sink.received(messageIdOf(id))).toEqual([]);
  });

  it('expires the emails whose deadline passes during a relay outage, sending none of them late', async () => {
    await harness.sink.down();
    const downAt = Date.now();
    const upAt = downAt + 3_000;
    const due = downAt + 200;
    // Four deadlines inside the outage, two well after it (those must go, on time).
    const deadlines = [1_000, 1_500, 2_000, 2_500, 20_000, 20_000].map((ms) => downAt + ms);
    const emails = await Promise.all(
      deadlines.map(async (expiresAtMs, i) => ({
        id: await harness.scheduleWith(`expiry${i}@example.com`, due, {
          expiresAt: formatInstant(expiresAtMs),
          maxAttempts: 1,
        }),
        expiresAtMs,
      })),
    );
    await waitFor('the outage to last', () => Date.now() >= upAt, 5_000, 50);
    for (const { id } of emails) expect(harness.sink.received(messageIdOf(id))).toEqual([]);
    await harness.sink.up();

    const settled = (status: string): boolean => status === 'expired' || status === 'sent';
    await waitFor(
      'every email expired or sent',
      async () => (await Promise.all(emails.map(({ id }) => statusOf(id)))).every(settled),
      20_000,
      100,
    );
    const outcomes: string[] = [];
    for (const { id, expiresAtMs } of emails) {
      const history = await harness.history(id);
      neverLate(id, expiresAtMs, history);
      const last = history.at(-1);
      outcomes.push(last?.type === 'EmailExpired' ? `expired (${last.data.reason})` : 'sent');
      if (expiresAtMs < upAt) {
        expect(last).toMatchObject({
          type: 'EmailExpired',
          data: { expiresAt: formatInstant(expiresAtMs) },
        });
        expect(harness.sink.received(messageIdOf(id))).toEqual([]);
      } else {
        expect(last).toMatchObject({ type: 'EmailSent' });
        expect(harness.sink.accepted(messageIdOf(id))).toHaveLength(1);
      }
    }
    console.log(`relay down 3 s, deadlines at +1/1.5/2/2.5/20/20 s: ${outcomes.join(', ')}`);
  });

  it('defers an email due while its window is closed, saying why, and sends it at the opening', async () => {
    const { id, openingMs } = windowed;
    const [, deferred] = await harness.history(id);
    expect(deferred).toMatchObject({
      type: 'EmailDeferred',
      data: { until: formatInstant(openingMs), limit: 'delivery-window' },
    });
    await waitFor(
      'the send at the opening',
      async () => (await statusOf(id)) === 'sent',
      openingMs - Date.now() + 15_000,
      100,
    );
    const history = await harness.history(id);
    const attempted = history.find((e) => e.type === 'EmailSendAttempted');
    expect(attempted).toBeDefined();
    if (attempted?.type === 'EmailSendAttempted') {
      expect(Date.parse(attempted.data.claimedAt)).toBeGreaterThanOrEqual(openingMs);
    }
    const received = harness.sink.accepted(messageIdOf(id));
    expect(received).toHaveLength(1);
    expect(received[0]?.receivedAt).toBeGreaterThanOrEqual(openingMs);
    console.log(
      `window opened at ${formatInstant(openingMs)}: sent ${(received[0]?.receivedAt ?? NaN) - openingMs} ms after`,
    );
  });
});
