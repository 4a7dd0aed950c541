// The scheduler under the faults an adversarial review of ADR 0007 found (each of these failed before its
// fix): a batch committed whose answer was lost, a lease holder whose Redis calls hang, a takeover half-way
// through a rebuild of the index from the first event.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { waitFor, toStoredEvents } from '@app/testing';
import type { Queue } from 'bullmq';
import { Pool } from 'pg';
import { messageIdOf, WorkerHarness } from '../testing/worker-harness';
import { DueIndex } from './due-index';
import { SchedulerService } from './scheduler.service';
import { SEND_QUEUE, sendJobId } from '@app/platform';

const REDIS_URL = 'redis://127.0.0.1:6379/14';
const WINDOW_MS = 10_000;
jest.setTimeout(150_000);

const scheduler = (app: INestApplicationContext): SchedulerService =>
  app.get(SchedulerService, { strict: false });
const queueOf = (app: INestApplicationContext): Queue =>
  app.get<Queue>(getQueueToken(SEND_QUEUE), { strict: false });

async function addedJobIds(harness: WorkerHarness, queue: Queue): Promise<string[]> {
  const entries = await harness.redis.xrange(queue.toKey('events'), '-', '+');
  return entries.flatMap(([, fields]) => {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
    return map.get('event') === 'added' ? [map.get('jobId') ?? ''] : [];
  });
}

describe('scheduler: a batch whose COMMIT succeeded but whose answer was lost', () => {
  let harness: WorkerHarness;
  let app: INestApplicationContext;
  afterAll(async () => {
    jest.restoreAllMocks();
    await harness?.stop();
  });

  it('reconciles after the subscription fails: the email goes on time, not at the periodic reconcile', async () => {
    harness = await WorkerHarness.start(REDIS_URL, { SCHEDULER_WINDOW_MS: String(WINDOW_MS) });
    app = await harness.startWorker();
    await waitFor(
      'leading with a horizon',
      () => scheduler(app).horizon !== undefined && scheduler(app).horizon! > 0,
      10_000,
      20,
    );
    const original = DueIndex.prototype.apply;
    let armed = true;
    jest.spyOn(DueIndex.prototype, 'apply').mockImplementation(async function (
      this: DueIndex,
      token,
      entries,
      position,
    ) {
      const ok = await original.call(this, token, entries, position);
      if (ok && armed && entries.length > 0) {
        armed = false;
        throw new Error('Connection terminated unexpectedly (after COMMIT reached the server)');
      }
      return ok;
    });
    const dueAt = Date.now() + 2_000;
    const id = await harness.schedule('ambiguous@example.com', dueAt);
    await waitFor('sent', () => harness.sink.received(messageIdOf(id)).length === 1, 80_000, 100);
    const arrival = harness.sink.received(messageIdOf(id))[0]?.receivedAt ?? NaN;
    console.log(
      `a batch committed without an answer: its email sent ${arrival - dueAt} ms after its due time`,
    );
    expect(arrival - dueAt).toBeLessThan(3_000);
  });
});

describe('scheduler: a lease holder whose Redis calls hang', () => {
  let harness: WorkerHarness;
  afterAll(async () => {
    await harness?.stop();
  });

  it('gives up the lease, and the standby schedules', async () => {
    harness = await WorkerHarness.start(REDIS_URL, { SCHEDULER_WINDOW_MS: String(WINDOW_MS) });
    const a = await harness.startWorker();
    const b = await harness.startWorker();
    await waitFor('one leader', () => scheduler(a).leading !== scheduler(b).leading, 10_000, 20);
    const leader = scheduler(a).leading ? a : b;
    const standby = leader === a ? b : a;
    // Only the leader's scheduler loses Redis (a half-open connection, a partition of its host): its next
    // Redis call never answers (ioredis: maxRetriesPerRequest null, no commandTimeout).
    const s = scheduler(leader) as unknown as { marker: { check: () => Promise<unknown> } };
    s.marker.check = () => new Promise(() => undefined);
    await new Promise((r) => setTimeout(r, 1_500));
    const dueAt = Date.now() + 1_000;
    const id = await harness.schedule('wedged@example.com', dueAt);
    await waitFor('the standby scheduling', () => scheduler(standby).leading, 15_000, 20);
    expect(scheduler(leader).leading).toBe(false);
    await waitFor(
      'the email sent',
      () => harness.sink.received(messageIdOf(id)).length === 1,
      15_000,
      20,
    );
    const arrival = harness.sink.received(messageIdOf(id))[0]?.receivedAt ?? NaN;
    console.log(
      `the stuck holder gave the lease up; the email was sent ${arrival - dueAt} ms after its due time`,
    );
    await harness.stopWorker(standby);
  });
});

describe('scheduler: a takeover half-way through a rebuild from the first event', () => {
  let harness: WorkerHarness;
  let pool: Pool;
  afterAll(async () => {
    jest.restoreAllMocks();
    await pool?.end();
    await harness?.stop();
  });

  it('goes on rebuilding: no job for the history of emails long sent', async () => {
    harness = await WorkerHarness.start(REDIS_URL, { SCHEDULER_WINDOW_MS: String(WINDOW_MS) });
    pool = new Pool({ connectionString: harness.database.url });
    // 600 emails sent an hour ago: scheduled, attempted, sent (interleaved, 1,800 events; batches of 1,000).
    const past = Date.now() - 3_600_000;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const emails = Array.from({ length: 600 }, () => randomUUID());
    const lives = emails.map((emailId) =>
      toStoredEvents(
        [
          {
            type: 'EmailScheduled',
            data: {
              emailId,
              tenantId: 'tenant-a',
              from: { address: 'news@a.example', name: 'Sender' },
              to: [{ address: 'user@example.com' }],
              cc: [],
              bcc: [],
              subject: 'old',
              text: 'Hello',
              requestedSendAt: iso(past),
              sendAt: iso(past),
              maxAttempts: 3,
              tags: [],
              scheduledAt: iso(past - 60_000),
            },
          },
          {
            type: 'EmailSendAttempted',
            data: {
              attempt: 1,
              workerId: 'w1',
              jobId: sendJobId(emailId, 0),
              claimedAt: iso(past),
              leaseUntil: iso(past + 60_000),
            },
          },
          {
            type: 'EmailSent',
            data: {
              attempt: 1,
              messageId: `<${emailId}@mx>`,
              response: '250 ok',
              sentAt: iso(past + 1_000),
            },
          },
        ],
        'tenant-a',
      ),
    );
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < emails.length; i += 50) {
        await Promise.all(
          emails
            .slice(i, i + 50)
            .map((emailId, j) =>
              harness.store.append(
                `email-${emailId}`,
                [lives[i + j]![round]!],
                round === 0 ? 'no-stream' : round - 1,
              ),
            ),
        );
      }
    }
    // The first holder replays from the first event (an empty index) and is deposed after its first batch
    // (a crash, a freeze past the lease, a deploy: anything that ends its term before the head).
    const original = DueIndex.prototype.apply;
    let armed = true;
    jest.spyOn(DueIndex.prototype, 'apply').mockImplementation(async function (
      this: DueIndex,
      token,
      entries,
      position,
    ) {
      const ok = await original.call(this, token, entries, position);
      if (ok && armed) {
        armed = false;
        await pool.query(
          `UPDATE scheduler.owner SET token = token + 1, holder = NULL, lease_until = '-infinity'`,
        );
      }
      return ok;
    });
    const app = await harness.startWorker();
    await waitFor('a second term', () => scheduler(app).terms >= 2, 15_000, 20);
    await waitFor('a horizon', () => (scheduler(app).horizon ?? -Infinity) > 0, 15_000, 20);
    await new Promise((r) => setTimeout(r, 3_000));
    const added = await addedJobIds(harness, queueOf(app));
    const mine = new Set(emails);
    const forHistory = added.filter((jobId) => [...mine].some((id) => jobId.includes(id)));
    console.log(
      `takeover mid-rebuild: ${scheduler(app).terms} terms; jobs added for 600 emails sent an hour ago: ${forHistory.length}`,
    );
    expect(forHistory).toEqual([]);
  });
});
