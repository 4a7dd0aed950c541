// The worker end to end on real Redis, Postgres and SMTP (a loopback sink): scheduler → delayed jobs →
// sender → outcome, and the guard's promises: on time, once, never early, stale jobs dropped, Redis loss
// survived. Every wait is a condition with a deadline.

import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { percentile, waitFor } from '@app/testing';
import type { Queue } from 'bullmq';
import { SchedulerService } from './scheduler/scheduler.service';
import { messageIdOf, WorkerHarness } from './testing/worker-harness';
import { SEND_QUEUE, sendJobId } from '@app/platform';

const REDIS_URL = process.env.WORKER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

jest.setTimeout(60_000);

describe('worker (scheduler + sender)', () => {
  let harness: WorkerHarness;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL, {
      RETRY_BASE_DELAY_MS: '200',
      WORKER_CONCURRENCY: '10',
    });
    worker = await harness.startWorker();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const sentOnce = async (emailId: string): Promise<boolean> =>
    (await harness.state(emailId)).status === 'sent';

  it('sends emails due in ~1 s on time, once, never early, with their Message-ID', async () => {
    const base = Date.now() + 1_000;
    const emails = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const sendAt = base + i * 25;
        return { id: await harness.schedule(`ontime${i}@example.com`, sendAt), sendAt };
      }),
    );
    await waitFor(
      'all 20 to arrive',
      () => emails.every(({ id }) => harness.sink.accepted(messageIdOf(id)).length === 1),
      15_000,
      20,
    );
    const lateness = emails.map(({ id, sendAt }) => {
      const arrivals = harness.sink.received(messageIdOf(id));
      expect(arrivals).toHaveLength(1);
      expect(arrivals[0]?.to).toEqual([expect.stringMatching(/^ontime\d+@example\.com$/)]);
      return (arrivals[0]?.receivedAt ?? NaN) - sendAt;
    });
    for (const late of lateness) expect(late).toBeGreaterThanOrEqual(0);
    console.log(
      `lateness over ${lateness.length} emails: p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${Math.max(...lateness)} ms`,
    );
    await waitFor(
      'the outcomes',
      async () => (await Promise.all(emails.map(({ id }) => sentOnce(id)))).every(Boolean),
      5_000,
    );
    const history = await harness.history(emails[0]?.id ?? '');
    expect(history.map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({ data: { messageId: messageIdOf(emails[0]?.id ?? '') } });
  });

  it('retries a 451 with backoff, then sends', async () => {
    harness.sink.answer('greylisted@example.com', { code: 451 });
    const id = await harness.schedule('greylisted@example.com', Date.now());
    await waitFor('the retry to succeed', () => sentOnce(id), 15_000, 20);
    const history = await harness.history(id);
    expect(history.map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailFailed',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({
      data: { final: false, countsAsAttempt: true, failure: { kind: 'transient', code: 451 } },
    });
    const received = harness.sink.received(messageIdOf(id));
    expect(received.map((m) => m.answer)).toEqual([451, 250]);
    // Backoff: base 200 ms with equal jitter → the retry waited at least 100 ms.
    expect((received[1]?.receivedAt ?? 0) - (received[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
      100,
    );
  });

  it('fails for good on a 550 and never retries', async () => {
    harness.sink.answer('nobody@example.com', { code: 550 });
    const id = await harness.schedule('nobody@example.com', Date.now());
    await waitFor(
      'the failure',
      async () => (await harness.state(id)).status === 'failed',
      10_000,
      20,
    );
    const history = await harness.history(id);
    expect(history.map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailFailed',
    ]);
    expect(history[2]).toMatchObject({
      data: { final: true, failure: { kind: 'permanent', code: 550 } },
    });
    const queue = worker.get<Queue>(getQueueToken(SEND_QUEUE), { strict: false });
    for (let revision = 0; revision <= 2; revision += 1) {
      expect(await queue.getJob(sendJobId(id, revision))).toBeUndefined();
    }
    expect(harness.sink.received(messageIdOf(id))).toHaveLength(1);
  });

  it('drops a job made stale by a reschedule: nothing goes out at the old time', async () => {
    const oldSendAt = Date.now() + 1_500;
    const id = await harness.schedule('moved@example.com', oldSendAt);
    const queue = worker.get<Queue>(getQueueToken(SEND_QUEUE), { strict: false });
    await waitFor(
      'the first job',
      async () => (await queue.getJob(sendJobId(id, 0))) !== undefined,
      5_000,
    );
    const newSendAt = Date.now() + 3_000;
    await harness.reschedule(id, newSendAt);
    await waitFor('the rescheduled send', () => sentOnce(id), 10_000, 20);
    const received = harness.sink.received(messageIdOf(id));
    expect(received).toHaveLength(1);
    expect(received[0]?.receivedAt).toBeGreaterThanOrEqual(newSendAt);
    expect((await harness.history(id)).map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailRescheduled',
      'EmailSendAttempted',
      'EmailSent',
    ]);
  });

  it('two workers racing over 50 emails send each exactly once', async () => {
    const second = await harness.startWorker();
    try {
      const sendAt = Date.now() + 500;
      const ids = await Promise.all(
        Array.from({ length: 50 }, (_, i) => harness.schedule(`race${i}@example.com`, sendAt)),
      );
      await waitFor(
        'all 50 sent',
        async () => (await Promise.all(ids.map(sentOnce))).every(Boolean),
        20_000,
        50,
      );
      const claimers = new Set<string>();
      for (const id of ids) {
        expect(harness.sink.received(messageIdOf(id))).toHaveLength(1);
        const history = await harness.history(id);
        expect(history.map((e) => e.type)).toEqual([
          'EmailScheduled',
          'EmailSendAttempted',
          'EmailSent',
        ]);
        const attempted = history[1];
        if (attempted?.type === 'EmailSendAttempted') claimers.add(attempted.data.workerId);
      }
      console.log(`50 emails claimed by ${claimers.size} worker(s)`);
    } finally {
      await harness.stopWorker(second);
    }
  });

  it('rebuilds the jobs after FLUSHDB: pending ones sent once, sent ones not resent', async () => {
    const early = await Promise.all(
      Array.from({ length: 5 }, (_, i) => harness.schedule(`before${i}@example.com`, Date.now())),
    );
    await waitFor(
      'the early ones sent',
      async () => (await Promise.all(early.map(sentOnce))).every(Boolean),
      10_000,
      20,
    );
    const sendAt = Date.now() + 3_000;
    const pending = await Promise.all(
      Array.from({ length: 30 }, (_, i) => harness.schedule(`pending${i}@example.com`, sendAt)),
    );
    const queue = worker.get<Queue>(getQueueToken(SEND_QUEUE), { strict: false });
    await waitFor('the pending jobs', async () => (await queue.getDelayedCount()) >= 30, 5_000);

    const scheduler = worker.get(SchedulerService, { strict: false });
    const lostBefore = scheduler.troubles.lost;
    const flushedAt = Date.now();
    await harness.redis.flushdb();
    expect(await queue.getDelayedCount()).toBe(0);
    await waitFor('the jobs rebuilt', async () => (await queue.getDelayedCount()) >= 30, 5_000, 10);
    console.log(`jobs of 30 pending emails rebuilt ${Date.now() - flushedAt} ms after FLUSHDB`);
    expect(scheduler.troubles.lost).toBe(lostBefore + 1);

    await waitFor(
      'the pending ones sent',
      async () => (await Promise.all(pending.map(sentOnce))).every(Boolean),
      15_000,
      50,
    );
    for (const id of [...early, ...pending]) {
      expect(harness.sink.received(messageIdOf(id))).toHaveLength(1);
    }
  });

  it('pauses on an unreachable relay, costs no attempt, and sends once it is back', async () => {
    await harness.sink.down();
    const id = await harness.schedule('outage@example.com', Date.now(), 1);
    await waitFor(
      'a relay-unavailable failure',
      async () => (await harness.history(id)).some((e) => e.type === 'EmailFailed'),
      10_000,
      20,
    );
    const downFor = 2_000;
    const upAt = Date.now() + downFor;
    await waitFor('the outage to last', () => Date.now() >= upAt, downFor + 1_000, 50);
    await harness.sink.up();
    await waitFor('the send after the outage', () => sentOnce(id), 20_000, 50);
    const history = await harness.history(id);
    const failures = history.filter((e) => e.type === 'EmailFailed');
    console.log(`relay down ${downFor} ms: ${failures.length} failure(s) recorded, then sent`);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        data: { final: false, countsAsAttempt: false, failure: { kind: 'relay-unavailable' } },
      });
    }
    // maxAttempts is 1, yet the email was never failed: the outage cost it nothing.
    expect(history[history.length - 1]).toMatchObject({ type: 'EmailSent', data: { attempt: 1 } });
    expect(harness.sink.accepted(messageIdOf(id))).toHaveLength(1);
  });

  it('on shutdown finishes the send in flight and records its outcome', async () => {
    harness.sink.answer('slow@example.com', { hold: true });
    const id = await harness.schedule('slow@example.com', Date.now());
    await waitFor('the send to be in flight', () => harness.sink.heldCount === 1, 10_000, 10);
    const releaser = setTimeout(() => harness.sink.release(), 500);
    try {
      await harness.stopWorker(worker);
    } finally {
      clearTimeout(releaser);
    }
    expect((await harness.state(id)).status).toBe('sent');
    expect(harness.sink.accepted(messageIdOf(id))).toHaveLength(1);
  });
});
