// kill -9 of a real worker process (the built app, as users run it) at each point of the send path, each
// point reached through a condition the test observes, never a test-only hook in the worker:
//   - before the claim: the job is active in Redis while the worker's read of the stream waits on a table
//     lock the test holds (seen in pg_stat_activity);
//   - after the claim, before SMTP: the sink keeps its greeting back;
//   - during DATA: the sink stalls in the middle of DATA, never storing the message;
//   - after SMTP, before the outcome: the sink stored the message and kills the worker before its 250.
// Another worker takes over. Each case counts lost emails (never stored by the sink) and duplicates (stored
// more than once): 0 lost everywhere; one duplicate only at the last point and only under the resend policy.
// Then three worker processes race over the same emails.

import type { INestApplicationContext } from '@nestjs/common';
import { AppProcess, waitFor } from '@app/testing';
import type { EmailEvent } from '@app/domain';
import { Client } from 'pg';
import { messageIdOf, WorkerHarness } from './testing/worker-harness';
import { sendJobId, sendQueueKey } from '@app/platform';

const REDIS_URL = process.env.WORKER_CRASH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/8';
const LEASE_MS = 2_000;
const ACTIVE = sendQueueKey('active');
const DELAYED = sendQueueKey('delayed');

interface Tally {
  readonly point: string;
  readonly lost: number;
  readonly duplicates: number;
  readonly settledMs: number;
}

describe('worker processes', () => {
  let harness: WorkerHarness;
  const children: AppProcess[] = [];
  const tallies: Tally[] = [];

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL, { WORKER_LEASE_MS: String(LEASE_MS) });
  }, 300_000);

  // A case that fails leaves no worker behind to take the next case's emails.
  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
  });

  afterAll(async () => {
    if (tallies.length > 0) {
      console.log(
        `kill -9 at each point of the send path:\n${tallies
          .map(
            (t) =>
              `  ${t.point}: lost ${t.lost}, duplicates ${t.duplicates}, settled ${t.settledMs} ms after the kill`,
          )
          .join('\n')}`,
      );
    }
    await harness?.stop();
  });

  async function spawnWorker(env: Record<string, string> = {}): Promise<AppProcess> {
    const child = await AppProcess.start('worker', {
      DATABASE_URL: String(harness.env.DATABASE_URL),
      REDIS_URL,
      SMTP_URL: harness.sink.url,
      WORKER_LEASE_MS: String(LEASE_MS),
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      ...env,
    });
    children.push(child);
    return child;
  }

  const types = (history: readonly EmailEvent[]): string[] => history.map((e) => e.type);

  /** A takeover worker (in this process) until the email settles; returns the tally of the case. */
  async function takeOver(
    point: string,
    id: string,
    killedAt: number,
    settled: 'sent' | 'failed',
    env: Record<string, string> = {},
    // The lease check resolves an attempt only once the dead claimer's send job has lost its BullMQ lock
    // (SEND_JOB_LOCK_MS after its last renewal) and its lease has run out (ADR 0006).
    timeoutMs = 30_000,
  ): Promise<Tally> {
    const rescuer: INestApplicationContext = await harness.startWorker(env);
    try {
      await waitFor(
        `the email to be ${settled}`,
        async () => (await harness.state(id)).status === settled,
        timeoutMs,
        20,
      );
    } finally {
      await harness.stopWorker(rescuer);
    }
    const stored = harness.sink.received(messageIdOf(id)).length;
    const tally = {
      point,
      lost: stored === 0 ? 1 : 0,
      duplicates: Math.max(0, stored - 1),
      settledMs: Date.now() - killedAt,
    };
    tallies.push(tally);
    return tally;
  }

  it('killed before the claim (job taken, stream read blocked): sent once after BullMQ finds the job stalled', async () => {
    const child = await spawnWorker();
    const id = await harness.schedule('before-claim@example.com', Date.now() + 1_500);
    const jobId = sendJobId(id, 0);
    await waitFor(
      'the delayed job',
      async () => (await harness.redis.zscore(DELAYED, jobId)) !== null,
      10_000,
      10,
    );

    // Reads of the events table wait on this lock: the worker can take the job but not read its stream.
    const locker = new Client({ connectionString: String(harness.env.DATABASE_URL) });
    await locker.connect();
    let killedAt: number;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE event_store.events IN ACCESS EXCLUSIVE MODE');
      await waitFor(
        'the job to be active and its stream read to wait on the lock',
        async () => {
          const active = await harness.redis.lrange(ACTIVE, 0, -1);
          if (!active.includes(jobId)) return false;
          // Inside the locking transaction Postgres keeps the first reading of pg_stat_activity: drop it
          // so each poll sees the backends as they are now.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await locker.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND wait_event_type = 'Lock' AND query LIKE '%FROM event_store.events%WHERE stream_name =%'`,
          );
          return Number(rows[0]?.n) > 0;
        },
        10_000,
        10,
      );
      await child.kill();
      killedAt = Date.now();
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Nothing was claimed: the stream is as the api left it.
    expect(types(await harness.history(id))).toEqual(['EmailScheduled']);

    // The dead worker's job is still active under its lock; BullMQ's stalled-job check (lock 30 s; a job
    // seen active at one check every 30 s and unlocked at the next goes back) returns it within ~60 s, and
    // the takeover worker sends it.
    const tally = await takeOver('before the claim', id, killedAt, 'sent', {}, 100_000);
    expect(types(await harness.history(id))).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 });
  }, 150_000);

  it('killed after the claim, before SMTP (greeting held): the lease runs out, resent once', async () => {
    const child = await spawnWorker();
    let killedAt = 0;
    harness.sink.stallNextGreeting(async () => {
      await child.kill();
      killedAt = Date.now();
    });
    const id = await harness.schedule('before-smtp@example.com', Date.now());
    await waitFor('the kill', () => killedAt > 0, 10_000, 10);
    expect(types(await harness.history(id))).toEqual(['EmailScheduled', 'EmailSendAttempted']);
    expect(harness.sink.received(messageIdOf(id))).toHaveLength(0);

    const tally = await takeOver('after the claim, before SMTP', id, killedAt, 'sent');
    const history = await harness.history(id);
    expect(types(history)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({ data: { attempt: 1, resolution: 'resend' } });
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 });
  }, 90_000);

  it('killed after claiming the last attempt allowed (maxAttempts 1), before SMTP: resent under the default policy, not lost', async () => {
    const child = await spawnWorker();
    let killedAt = 0;
    harness.sink.stallNextGreeting(async () => {
      await child.kill();
      killedAt = Date.now();
    });
    const id = await harness.schedule('last-attempt@example.com', Date.now(), 1);
    await waitFor('the kill', () => killedAt > 0, 10_000, 10);
    expect(types(await harness.history(id))).toEqual(['EmailScheduled', 'EmailSendAttempted']);

    const tally = await takeOver('last attempt, after the claim', id, killedAt, 'sent');
    const history = await harness.history(id);
    expect(types(history)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({ data: { resolution: 'resend', countsAsAttempt: false } });
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 });
  }, 90_000);

  it('killed during DATA (the sink stalls mid-message): never stored, resent once', async () => {
    const child = await spawnWorker();
    let killedAt = 0;
    harness.sink.answer('during-data@example.com', {
      stallData: async () => {
        await child.kill();
        killedAt = Date.now();
      },
    });
    const id = await harness.schedule('during-data@example.com', Date.now());
    await waitFor('the kill', () => killedAt > 0, 10_000, 10);
    expect(types(await harness.history(id))).toEqual(['EmailScheduled', 'EmailSendAttempted']);

    const tally = await takeOver('during DATA', id, killedAt, 'sent');
    const history = await harness.history(id);
    expect(types(history)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    // The resend is attempt 1 again: an attempt lost in doubt uses up none of maxAttempts.
    expect(history[4]).toMatchObject({ data: { attempt: 1, messageId: messageIdOf(id) } });
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 });
  }, 90_000);

  it('killed after the sink stored the message, before its 250, resend policy: one duplicate, same Message-ID', async () => {
    const child = await spawnWorker();
    let killedAt = 0;
    harness.sink.answer('after-data@example.com', {
      storeThen: async () => {
        await child.kill();
        killedAt = Date.now();
      },
    });
    const id = await harness.schedule('after-data@example.com', Date.now());
    await waitFor('the kill', () => killedAt > 0, 10_000, 10);
    expect(types(await harness.history(id))).toEqual(['EmailScheduled', 'EmailSendAttempted']);

    const tally = await takeOver('after SMTP, before the outcome (resend)', id, killedAt, 'sent');
    const history = await harness.history(id);
    expect(types(history)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({ data: { attempt: 1, resolution: 'resend' } });
    // The receiver has it twice, recognisably: both copies carry the email's Message-ID.
    expect(harness.sink.received(messageIdOf(id)).map((m) => m.messageId)).toEqual([
      messageIdOf(id),
      messageIdOf(id),
    ]);
    expect(tally).toMatchObject({ lost: 0, duplicates: 1 });
  }, 90_000);

  it('killed after the sink stored the message, before its 250, fail policy: failed for review, no duplicate', async () => {
    const env = { IN_DOUBT_POLICY: 'fail' };
    const child = await spawnWorker(env);
    let killedAt = 0;
    harness.sink.answer('after-data-fail@example.com', {
      storeThen: async () => {
        await child.kill();
        killedAt = Date.now();
      },
    });
    const id = await harness.schedule('after-data-fail@example.com', Date.now());
    await waitFor('the kill', () => killedAt > 0, 10_000, 10);

    const tally = await takeOver(
      'after SMTP, before the outcome (fail)',
      id,
      killedAt,
      'failed',
      env,
    );
    const history = await harness.history(id);
    expect(types(history)).toEqual(['EmailScheduled', 'EmailSendAttempted', 'EmailSendInDoubt']);
    expect(history[2]).toMatchObject({ data: { attempt: 1, resolution: 'fail' } });
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 });
  }, 90_000);

  it('three worker processes racing over the same 60 emails send each exactly once', async () => {
    const racers = await Promise.all([spawnWorker(), spawnWorker(), spawnWorker()]);
    const sendAt = Date.now() + 1_000;
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, i) => harness.schedule(`race3-${i}@example.com`, sendAt)),
    );
    await waitFor(
      'all 60 sent',
      async () =>
        (await Promise.all(ids.map(async (id) => (await harness.state(id)).status))).every(
          (status) => status === 'sent',
        ),
      30_000,
      50,
    );
    const claims = new Map<string, number>();
    for (const id of ids) {
      expect(harness.sink.received(messageIdOf(id))).toHaveLength(1);
      const history = await harness.history(id);
      expect(types(history)).toEqual(['EmailScheduled', 'EmailSendAttempted', 'EmailSent']);
      const attempted = history[1];
      if (attempted?.type === 'EmailSendAttempted') {
        const pid = attempted.data.workerId.split(':')[1] ?? '?';
        claims.set(pid, (claims.get(pid) ?? 0) + 1);
      }
    }
    const duplicates = ids.reduce(
      (sum, id) => sum + Math.max(0, harness.sink.received(messageIdOf(id)).length - 1),
      0,
    );
    console.log(
      `3 worker processes, 60 emails: duplicates ${duplicates}, claims per process ${JSON.stringify(Object.fromEntries(claims))}`,
    );
    for (const racer of racers) await racer.stop();
  }, 90_000);
});
