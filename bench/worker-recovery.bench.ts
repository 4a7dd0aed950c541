/**
 * Recovery of the worker's delayed jobs after Redis lost everything. Seeds N pending emails (EmailScheduled,
 * due in 10 minutes) straight into the Postgres event store's table, a few thousand rows per transaction;
 * starts the built worker (a child process) and waits for its scheduler's checkpoint to reach the head;
 * FLUSHDB of the worker's Redis database; times until all N delayed jobs exist again (and the checkpoint is
 * back at the head). Baseline, same run: `queue.addBulk` of N delayed jobs straight into BullMQ, in chunks
 * of 1000 as the scheduler does. Also the worker's peak RSS. Uses its own database and Redis databases.
 *
 *   npm run bench:recovery -- [emails=100000]
 */
import { randomUUID } from 'node:crypto';
import { EMAIL_EVENT_SCHEMA_VERSION } from '@app/domain';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { formatPosition } from '@app/event-store';
import { emailHistory } from '@app/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { redisConnectionOptions } from '@app/platform';
import { SEND_QUEUE, sendJobId } from '../apps/worker/src/queue/send-queue';
import { SCHEDULER_STATE_KEY } from '../apps/worker/src/scheduler/scheduler-state';
import { WorkerHarness } from '../apps/worker/src/testing/worker-harness';
import { buildWorker, WorkerProcess } from '../apps/worker/src/testing/worker-process';
import { describeMachine, markdownTable, recordResults } from './machine';

const emails = Number(process.argv[2] ?? 100_000);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const CHUNK = 5_000;
const BULK = 1_000;
const DUE_IN_MS = 10 * 60_000;
const DELAYED = `bull:${SEND_QUEUE}:delayed`;

async function seed(pool: Pool, sendAt: string): Promise<void> {
  for (let n = 0; n < emails; n += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, emails - n) }, (_, i) => {
      const emailId = randomUUID();
      const [scheduled] = emailHistory(emailId, n + i);
      const data = { ...scheduled?.data, requestedSendAt: sendAt, sendAt };
      return {
        event_id: randomUUID(),
        stream_name: `email-${emailId}`,
        type: 'EmailScheduled',
        data,
        metadata: { schemaVersion: EMAIL_EVENT_SCHEMA_VERSION, tenantId: 'tenant-a' },
      };
    });
    await pool.query(
      `INSERT INTO event_store.events (event_id, stream_name, category, revision, type, data, metadata)
       SELECT event_id, stream_name, 'email', 0, type, data, metadata
         FROM jsonb_to_recordset($1::jsonb)
           AS x(event_id uuid, stream_name text, type text, data jsonb, metadata jsonb)`,
      [JSON.stringify(rows)],
    );
  }
  await pool.query('VACUUM ANALYZE event_store.events');
}

async function until(condition: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Baseline: N delayed jobs straight into BullMQ, the scheduler's job options, chunks of 1000. */
async function baseline(): Promise<number> {
  const redis = new Redis(baselineRedisUrl);
  await redis.flushdb();
  const queue = new Queue(SEND_QUEUE, { connection: redisConnectionOptions(baselineRedisUrl) });
  const now = Date.now();
  const seconds = await timed(async () => {
    for (let n = 0; n < emails; n += BULK) {
      await queue.addBulk(
        Array.from({ length: Math.min(BULK, emails - n) }, () => {
          const emailId = randomUUID();
          return {
            name: 'send',
            data: { emailId, revision: 0 },
            opts: {
              jobId: sendJobId(emailId, 0),
              delay: DUE_IN_MS - (Date.now() - now),
              removeOnComplete: true,
              removeOnFail: { age: 86_400 },
              attempts: 10,
              backoff: { type: 'exponential', delay: 1_000 },
            },
          };
        }),
      );
    }
  });
  const count = await redis.zcard(DELAYED);
  if (count !== emails) throw new Error(`baseline made ${count} jobs, not ${emails}`);
  await queue.close();
  await redis.flushdb();
  redis.disconnect();
  return seconds;
}

async function main(): Promise<void> {
  buildWorker();
  const harness = await WorkerHarness.start(redisUrl);
  const pool = new Pool({ connectionString: harness.database.url, max: 2 });
  let worker: WorkerProcess | undefined;
  try {
    const seedSeconds = await timed(() =>
      seed(pool, new Date(Date.now() + DUE_IN_MS).toISOString()),
    );
    console.log(`seeded ${emails} pending emails in ${seedSeconds.toFixed(1)} s`);
    const head = await harness.store.headPosition(EMAIL_CATEGORY);
    if (head === 'start') throw new Error('nothing seeded');
    const headText = formatPosition(head);
    const atHead = async (): Promise<boolean> =>
      (await harness.redis.hget(SCHEDULER_STATE_KEY, 'position')) === headText;
    const jobsBack = async (): Promise<boolean> => (await harness.redis.zcard(DELAYED)) >= emails;

    let firstSeconds = 0;
    const bootSeconds = await timed(async () => {
      worker = await WorkerProcess.start({
        ...(harness.env as Record<string, string>),
        LOG_LEVEL: 'info',
      });
    });
    firstSeconds = bootSeconds + (await timed(() => until(atHead)));
    const firstJobs = await harness.redis.zcard(DELAYED);
    if (firstJobs !== emails) throw new Error(`first start made ${firstJobs} jobs, not ${emails}`);

    await harness.redis.flushdb();
    let jobsSeconds = 0;
    const checkpointSeconds = await timed(async () => {
      jobsSeconds = await timed(() => until(jobsBack));
      await until(atHead);
    });
    const rebuilt = await harness.redis.zcard(DELAYED);
    if (rebuilt !== emails) throw new Error(`replay made ${rebuilt} jobs, not ${emails}`);
    const peakRss = worker?.peakRssBytes() ?? NaN;
    const baselineSeconds = await baseline();

    const rate = (seconds: number): number => Math.round(emails / seconds);
    const row = (name: string, seconds: number): (string | number)[] => [
      name,
      seconds.toFixed(2),
      rate(seconds),
      `${Math.round((rate(seconds) / rate(baselineSeconds)) * 100)} %`,
    ];
    const table = markdownTable(
      ['variant', 'seconds', 'jobs/s', 'vs baseline'],
      [
        row('baseline: queue.addBulk of N delayed jobs, chunks of 1000', baselineSeconds),
        row('worker first start: boot + catch-up from position 0', firstSeconds),
        row('after FLUSHDB: all N delayed jobs back (detection included)', jobsSeconds),
        row('after FLUSHDB: checkpoint back at the head', checkpointSeconds),
      ],
    );
    const machine = await describeMachine(pool);
    const rss = `worker peak RSS: ${Math.round(peakRss / 2 ** 20)} MiB`;
    process.stdout.write(`\n${emails} pending emails, ${machine}\n\n${table}\n\n${rss}\n`);
    await recordResults(
      `Worker recovery after Redis loss, ${emails} pending emails`,
      machine,
      `${table}\n\n${rss}`,
    );
  } finally {
    await worker?.kill();
    await pool.end();
    await harness.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
