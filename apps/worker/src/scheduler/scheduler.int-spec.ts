// The scheduler's promises (ADR 0007) on real Postgres, Redis and SMTP: Redis holds only the window, filled
// as time advances; one worker schedules and a takeover loses nothing; a deposed scheduler's batch is refused;
// a Redis that lost its data gets back exactly the jobs due within the window, none for history.

import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { appendEmailHistories, waitFor } from '@app/testing';
import type { Queue } from 'bullmq';
import { Pool } from 'pg';
import { messageIdOf, WorkerHarness } from '../testing/worker-harness';
import { SCHEDULER_LEASE_MS, SchedulerService } from './scheduler.service';
import { SEND_QUEUE, sendJobId } from '@app/platform';

const REDIS_URL = process.env.WORKER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/8';
const WINDOW_MS = 10_000;

jest.setTimeout(90_000);

describe('scheduler (due index, window, one owner)', () => {
  let harness: WorkerHarness;
  let first: INestApplicationContext;
  let pool: Pool;

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL, { SCHEDULER_WINDOW_MS: String(WINDOW_MS) });
    pool = new Pool({ connectionString: harness.database.url });
    first = await harness.startWorker();
  });

  afterAll(async () => {
    await pool?.end();
    await harness?.stop();
  });

  const scheduler = (app: INestApplicationContext): SchedulerService =>
    app.get(SchedulerService, { strict: false });
  const queue = (): Queue => first.get<Queue>(getQueueToken(SEND_QUEUE), { strict: false });
  const sentOnce = async (emailId: string): Promise<boolean> =>
    (await harness.state(emailId)).status === 'sent' &&
    harness.sink.received(messageIdOf(emailId)).length === 1;
  /** Ids of the jobs BullMQ recorded as added since the events stream began (a flush empties it). */
  const addedJobIds = async (): Promise<string[]> => {
    const entries = await harness.redis.xrange(queue().toKey('events'), '-', '+');
    return entries.flatMap(([, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
      return map.get('event') === 'added' ? [map.get('jobId') ?? ''] : [];
    });
  };
  const indexCaughtUp = async (): Promise<boolean> => {
    const { rows } = await pool.query<{ position: string | null }>(
      `SELECT position FROM scheduler.owner`,
    );
    const head = await harness.store.headPosition('email');
    return head !== 'start' && rows[0]?.position === `${head.commit}/${head.prepare}`;
  };

  it('keeps an email due past the window out of Redis until the window reaches it, then sends it on time', async () => {
    const farAt = Date.now() + WINDOW_MS + 4_000;
    const far = await harness.schedule('far@example.com', farAt);
    const near = await harness.schedule('near@example.com', Date.now() + 500);
    await waitFor('the near one sent', () => sentOnce(near), 10_000, 20);
    expect(await queue().getJob(sendJobId(far, 0))).toBeUndefined();
    const { rows } = await pool.query(
      `SELECT revision, kind, due_ms FROM scheduler.due WHERE email_id = $1`,
      [far],
    );
    expect(rows).toEqual([{ revision: '0', kind: 'send', due_ms: String(farAt) }]);

    await waitFor(
      'the far job in Redis',
      async () => (await queue().getJob(sendJobId(far, 0))) !== undefined,
      10_000,
      50,
    );
    await waitFor('the far one sent', () => sentOnce(far), 20_000, 20);
    const arrival = harness.sink.received(messageIdOf(far))[0]?.receivedAt ?? NaN;
    console.log(
      `an email due ${WINDOW_MS + 4_000} ms ahead (window ${WINDOW_MS} ms) arrived ${arrival - farAt} ms after its time`,
    );
    expect(arrival).toBeGreaterThanOrEqual(farAt);
    expect(arrival - farAt).toBeLessThan(1_000);
  });

  it('after FLUSHDB puts back the jobs of the emails due within the window and none for history', async () => {
    // 400 interleaved histories (about 1,300 events, many batches): every one of them due in 2030 or done.
    const history = new Set(await appendEmailHistories(harness.store, 400));
    const sendAt = Date.now() + 4_000;
    const pending = await Promise.all(
      Array.from({ length: 20 }, (_, i) => harness.schedule(`pending${i}@example.com`, sendAt)),
    );
    await waitFor('the index caught up', indexCaughtUp, 20_000, 50);
    const lostBefore = scheduler(first).troubles.lost;

    const flushedAt = Date.now();
    await harness.redis.flushdb();
    await waitFor(
      'the pending jobs back',
      async () =>
        (await Promise.all(pending.map((id) => queue().getJob(sendJobId(id, 0))))).every(Boolean),
      5_000,
      10,
    );
    console.log(`jobs of 20 pending emails back ${Date.now() - flushedAt} ms after FLUSHDB`);
    expect(scheduler(first).troubles.lost).toBe(lostBefore + 1);
    const added = await addedJobIds();
    expect(added.filter((jobId) => [...history].some((id) => jobId.includes(id)))).toEqual([]);
    expect(added.sort()).toEqual(pending.map((id) => sendJobId(id, 0)).sort());

    await waitFor(
      'the pending ones sent',
      async () => (await Promise.all(pending.map(sentOnce))).every(Boolean),
      15_000,
      50,
    );
  });

  it('schedules from one worker only; when it stops, another takes over and nothing is lost', async () => {
    const second = await harness.startWorker();
    try {
      await waitFor(
        'a settled owner',
        () => scheduler(first).leading !== scheduler(second).leading,
        5_000,
        20,
      );
      expect([scheduler(first).leading, scheduler(second).leading].filter(Boolean)).toHaveLength(1);
      const leader = scheduler(first).leading ? first : second;
      const standby = leader === first ? second : first;

      const sendAt = Date.now() + 3_000;
      const before = await Promise.all(
        Array.from({ length: 10 }, (_, i) => harness.schedule(`takeover${i}@example.com`, sendAt)),
      );
      const stoppedAt = Date.now();
      await harness.stopWorker(leader);
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          harness.schedule(`after${i}@example.com`, Date.now() + 500),
        ),
      );
      await waitFor(
        'the standby scheduling',
        () => scheduler(standby).leading,
        SCHEDULER_LEASE_MS + 2_000,
        20,
      );
      console.log(`the standby took over ${Date.now() - stoppedAt} ms after the scheduler stopped`);
      await waitFor(
        'all 20 sent',
        async () => (await Promise.all([...before, ...after].map(sentOnce))).every(Boolean),
        15_000,
        50,
      );
      if (leader === first) first = standby;
    } finally {
      if (harness.workers.includes(second) && second !== first) await harness.stopWorker(second);
    }
  });

  it("refuses a deposed scheduler's batch: it steps down, and the email still goes once", async () => {
    await waitFor(
      'the worker scheduling',
      () => scheduler(first).leading,
      SCHEDULER_LEASE_MS + 2_000,
      20,
    );
    const rejectionsBefore = scheduler(first).fencingRejections;
    const termsBefore = scheduler(first).terms;
    // Another holder takes the lease (a new token) and goes silent: the current holder is deposed.
    await pool.query(
      `UPDATE scheduler.owner SET token = token + 1, holder = 'elsewhere', lease_until = now() + interval '3 seconds'`,
    );
    const id = await harness.schedule('fenced@example.com', Date.now());
    await waitFor('the worker deposed', () => !scheduler(first).leading, 5_000, 5);
    const { rows } = await pool.query(`SELECT 1 FROM scheduler.due WHERE email_id = $1`, [id]);
    expect(rows).toEqual([]);
    console.log(
      `deposed: ${scheduler(first).fencingRejections - rejectionsBefore} batch(es) refused, no index row written under the old token`,
    );
    await waitFor(
      'the worker scheduling again',
      () => scheduler(first).terms > termsBefore,
      10_000,
      20,
    );
    await waitFor('the email sent', () => sentOnce(id), 15_000, 20);
  });

  it('rebuilds the due index from the first event by the documented procedure, and goes on scheduling', async () => {
    await waitFor(
      'the worker scheduling',
      () => scheduler(first).leading,
      SCHEDULER_LEASE_MS + 2_000,
      20,
    );
    const replays = scheduler(first).replays;
    const { rows: before } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduler.due`,
    );
    // docs/OPERATIONS.md, Runbook: "The due index is suspect".
    await pool.query(`BEGIN; TRUNCATE scheduler.due; UPDATE scheduler.owner SET position = NULL,
      token = token + 1, holder = NULL, lease_until = '-infinity'; COMMIT;`);
    await waitFor(
      'a replay from the first event',
      () => scheduler(first).replays > replays,
      10_000,
      20,
    );
    await waitFor('the index caught up', indexCaughtUp, 30_000, 50);
    const { rows: after } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduler.due`,
    );
    expect(after).toEqual(before);
    const id = await harness.schedule('after-rebuild@example.com', Date.now() + 500);
    await waitFor('the email sent', () => sentOnce(id), 15_000, 20);
  });

  it('rebuilds the index when it is ahead of the event store (a store restored from a backup)', async () => {
    await waitFor(
      'the worker scheduling',
      () => scheduler(first).leading,
      SCHEDULER_LEASE_MS + 2_000,
      20,
    );
    const kept = await harness.schedule('kept@example.com', Date.now() + 60_000);
    const lost = await harness.schedule('lost@example.com', Date.now() + 60_000);
    await waitFor('the index caught up', indexCaughtUp, 10_000, 20);
    const replays = scheduler(first).replays;
    // The store comes back from a backup taken before the last email; the index (and Redis) did not.
    await pool.query(`DELETE FROM event_store.events WHERE stream_name = $1`, [`email-${lost}`]);
    await pool.query(
      `UPDATE scheduler.owner SET token = token + 1, holder = NULL, lease_until = '-infinity'`,
    );
    await waitFor(
      'a rebuild from the first event',
      () => scheduler(first).replays > replays,
      10_000,
      20,
    );
    await waitFor('the index caught up', indexCaughtUp, 30_000, 50);
    const { rows } = await pool.query<{ email_id: string }>(
      `SELECT email_id FROM scheduler.due WHERE email_id = ANY($1::text[])`,
      [[kept, lost]],
    );
    expect(rows.map((row) => row.email_id)).toEqual([kept]);
  });
});
