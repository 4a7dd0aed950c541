/**
 * Redis as a window (ADR 0007): what Redis holds per pending email, and how the window comes back after
 * Redis lost everything. Seeds straight into the Postgres event store's table: P pending emails due over the
 * next 30 days, S sent emails (scheduled, attempted, sent: each event kind in a pass of its own, so one
 * email's life spans many batches), then, once a built worker (a child process) has indexed them, W emails
 * due within the window (SCHEDULER_WINDOW_MS). Measures:
 *   - the worker building the due index from the first event (events/s);
 *   - Redis bytes per pending email (INFO used_memory, before and after), against the baseline: today's
 *     design before ADR 0007, one delayed job per pending email, made here by `queue.addBulk` of the same
 *     P + W jobs with the scheduler's options into another Redis database, same run;
 *   - after FLUSHDB, the time until every job of the window is back, how many jobs the reconcile made (its
 *     log line) and how many jobs Redis then holds that are not of the window (stale: must be 0).
 * Nothing is due before the bench ends, so nothing is sent. Uses its own database and Redis databases.
 *
 *   npm run bench:recovery -- [pending=1000000] [sent=1000000] [inWindow=20000]
 */
import { randomUUID } from 'node:crypto';
import type { EmailEvent } from '@app/domain';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { createEventStore, formatPosition } from '@app/event-store';
import {
  BULLMQ_PREFIX,
  redisConnectionOptions,
  type RedisClient,
  SEND_QUEUE,
  sendJobId,
  sendQueueKey,
} from '@app/platform';
import { AppProcess, SmtpSink, buildApps, createTestDatabase, waitFor } from '@app/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { describeMachine, markdownTable, recordResults } from './machine';
import { eventRow, insertEvents, scheduledAt } from './seed-events';

const pending = Number(process.argv[2] ?? 1_000_000);
const sent = Number(process.argv[3] ?? 1_000_000);
const inWindow = Number(process.argv[4] ?? 20_000);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const WINDOW_MS = 300_000;
const DAY_MS = 86_400_000;
const CHUNK = 5_000;
const BULK = 1_000;
const DELAYED = sendQueueKey('delayed');

/** P pending over 30 days, then S sent emails in three passes (all schedules, all claims, all outcomes). */
async function seedHistory(pool: Pool, now: number): Promise<void> {
  for (let n = 0; n < pending; n += CHUNK) {
    const size = Math.min(CHUNK, pending - n);
    await insertEvents(
      pool,
      Array.from({ length: size }, (_, i) => {
        const emailId = randomUUID();
        // Past the window, spread over 30 days.
        const due = now + WINDOW_MS * 2 + Math.floor(((n + i) / pending) * 30 * DAY_MS);
        return eventRow(emailId, 0, scheduledAt(emailId, n + i, due));
      }),
    );
  }
  const ids = Array.from({ length: sent }, () => randomUUID());
  const at = (ms: number): string => new Date(ms).toISOString();
  for (let pass = 0; pass < 3; pass += 1) {
    for (let n = 0; n < sent; n += CHUNK) {
      const rows = ids.slice(n, n + CHUNK).map((emailId, i) => {
        const due = now - DAY_MS + (n + i) * 10;
        const event: EmailEvent =
          pass === 0
            ? scheduledAt(emailId, n + i, due)
            : pass === 1
              ? {
                  type: 'EmailSendAttempted',
                  data: {
                    attempt: 1,
                    workerId: 'w1',
                    jobId: `${emailId}:1`,
                    claimedAt: at(due),
                    leaseUntil: at(due + 60_000),
                  },
                }
              : {
                  type: 'EmailSent',
                  data: {
                    attempt: 1,
                    messageId: `<${emailId}@mx>`,
                    response: '250 ok',
                    sentAt: at(due + 500),
                  },
                };
        return eventRow(emailId, pass, event);
      });
      await insertEvents(pool, rows);
    }
  }
  await pool.query('VACUUM ANALYZE event_store.events');
}

async function usedMemory(redis: RedisClient): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Baseline: today's design before ADR 0007, one delayed job per pending email. */
async function baseline(jobs: number, now: number): Promise<number> {
  const redis = new Redis(baselineRedisUrl);
  await redis.flushdb();
  const queue = new Queue(SEND_QUEUE, {
    connection: redisConnectionOptions(baselineRedisUrl),
    prefix: BULLMQ_PREFIX,
  });
  const before = await usedMemory(redis);
  for (let n = 0; n < jobs; n += BULK) {
    await queue.addBulk(
      Array.from({ length: Math.min(BULK, jobs - n) }, (_, i) => {
        const emailId = randomUUID();
        return {
          name: 'send',
          data: { emailId, revision: 0 },
          opts: {
            jobId: sendJobId(emailId, 0),
            timestamp: now,
            delay: WINDOW_MS * 2 + Math.floor(((n + i) / jobs) * 30 * DAY_MS),
            removeOnComplete: true,
            removeOnFail: { age: 86_400 },
            attempts: Number.MAX_SAFE_INTEGER,
            backoff: { type: 'capped-exponential' },
          },
        };
      }),
    );
  }
  const count = await redis.zcard(DELAYED);
  if (count !== jobs) throw new Error(`baseline made ${count} jobs, not ${jobs}`);
  const bytes = (await usedMemory(redis)) - before;
  await queue.close();
  await redis.flushdb();
  redis.disconnect();
  return bytes;
}

async function main(): Promise<void> {
  buildApps('worker');
  const database = await createTestDatabase('recovery');
  const store = await createEventStore({ databaseUrl: database.url });
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const sink = await SmtpSink.start();
  const pool = new Pool({ connectionString: database.url, max: 2 });
  let worker: AppProcess | undefined;
  try {
    const now = Date.now();
    const seedSeconds = await timed(() => seedHistory(pool, now));
    const events = pending + 3 * sent;
    console.log(
      `seeded ${pending} pending and ${sent} sent emails (${events} events) in ${seedSeconds.toFixed(1)} s`,
    );
    const indexAtHead = async (): Promise<boolean> => {
      const head = await store.headPosition(EMAIL_CATEGORY);
      const { rows } = await pool
        .query<{ position: string | null }>(`SELECT position FROM scheduler.owner`)
        .catch(() => ({ rows: [] as { position: string | null }[] }));
      return head !== 'start' && rows[0]?.position === formatPosition(head);
    };
    const memoryBefore = await usedMemory(redis);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      SMTP_URL: sink.url,
      LOG_LEVEL: 'info',
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      SCHEDULER_WINDOW_MS: String(WINDOW_MS),
    };
    // From the spawn: the worker's boot is part of a first start.
    const indexSeconds = await timed(async () => {
      worker = await AppProcess.start('worker', env);
      await waitFor('the index at the head', indexAtHead, 3_600_000, 50);
    });
    console.log(
      `a new worker booted and indexed ${events} events from the first in ${indexSeconds.toFixed(1)} s`,
    );

    const { rows: sized } = await pool.query<{ bytes: string; rows: string }>(
      `SELECT pg_total_relation_size('scheduler.due') AS bytes, (SELECT count(*) FROM scheduler.due) AS rows`,
    );
    const indexRows = Number(sized[0]?.rows ?? NaN);
    const indexBytesPerRow = Number(sized[0]?.bytes ?? NaN) / indexRows;

    // The emails due within the window: 90 % to 99 % of it ahead, so none falls due before the end.
    const windowStart = Date.now();
    await insertEvents(
      pool,
      Array.from({ length: inWindow }, (_, i) => {
        const emailId = randomUUID();
        const due = windowStart + WINDOW_MS * (0.9 + (0.09 * i) / Math.max(1, inWindow));
        return eventRow(emailId, 0, scheduledAt(emailId, i, due));
      }),
    );
    await waitFor('the window indexed', indexAtHead, 600_000, 20);
    await waitFor(
      'the window in Redis',
      async () => (await redis.zcard(DELAYED)) >= inWindow,
      60_000,
      20,
    );
    const windowJobs = new Set(await redis.zrange(DELAYED, '0', '-1'));
    const bytes = (await usedMemory(redis)) - memoryBefore;

    await redis.flushdb();
    const healSeconds = await timed(() =>
      waitFor(
        'the window back',
        async () => (await redis.zcard(DELAYED)) >= windowJobs.size,
        60_000,
        10,
      ),
    );
    // What the reconcile made, from the worker's own log line (BullMQ's events stream keeps only the last
    // 10,000 events); a stale job would be due in the past, so in the wait list, or already taken.
    const reconciled = await waitFor(
      'the reconcile logged',
      () => /reconciled \(Redis lost[^)]*\): \d+ job/.test(worker?.output ?? ''),
      10_000,
      20,
    ).then(() => [
      ...(worker?.output ?? '').matchAll(/reconciled \(Redis lost[^)]*\): (\d+) job/g),
    ]);
    const made = Number(reconciled[reconciled.length - 1]?.[1] ?? NaN);
    const back = new Set(await redis.zrange(DELAYED, '0', '-1'));
    const missing = [...windowJobs].filter((jobId) => !back.has(jobId)).length;
    const stale =
      [...back].filter((jobId) => !windowJobs.has(jobId)).length +
      (await redis.llen(sendQueueKey('wait'))) +
      (await redis.llen(sendQueueKey('active')));
    if (missing > 0 || stale > 0 || made !== windowJobs.size) {
      throw new Error(
        `after FLUSHDB: ${missing} window jobs missing, ${stale} stale jobs, ${made} made`,
      );
    }
    await worker?.stop();
    worker = undefined;

    const baselineBytes = await baseline(pending + inWindow, now);
    const perEmail = bytes / (pending + inWindow);
    const basePerEmail = baselineBytes / (pending + inWindow);
    const machine = await describeMachine(pool);
    const table = markdownTable(
      [
        'measure',
        'due index + window (ADR 0007)',
        'baseline: a delayed job per pending email',
        'ratio',
      ],
      [
        [
          `Redis bytes per pending email (${pending + inWindow} pending, ${windowJobs.size} in the ${WINDOW_MS / 60_000}-minute window)`,
          perEmail.toFixed(1),
          basePerEmail.toFixed(1),
          `${((perEmail / basePerEmail) * 100).toFixed(2)} %`,
        ],
        [
          `Redis FLUSHDB with ${pending + inWindow} pending and ${sent} sent: every window job back (s)`,
          healSeconds.toFixed(2),
          '',
          '',
        ],
        [
          `jobs made after the flush / jobs in the window / stale jobs made`,
          `${made} / ${windowJobs.size} / ${stale}`,
          '',
          '',
        ],
        [
          `due index in Postgres: bytes per email (${indexRows} rows, table and indexes)`,
          indexBytesPerRow.toFixed(1),
          '',
          '',
        ],
        [
          `a new worker: boot, then the due index built from the first event (${events} events), events/s`,
          Math.round(events / indexSeconds),
          '',
          '',
        ],
      ],
    );
    process.stdout.write(`\n${machine}\n\n${table}\n`);
    await recordResults(
      `Redis as a window: footprint and recovery, ${pending} pending, ${sent} sent`,
      machine,
      table,
    );
  } finally {
    await worker?.kill();
    await pool.end();
    await sink.stop();
    await redis.flushdb();
    redis.disconnect();
    await store.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
