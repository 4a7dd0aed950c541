/**
 * Recovery of the worker's delayed jobs after Redis lost everything. Seeds N pending emails (EmailScheduled,
 * all due `dueInSeconds` from the start) straight into the Postgres event store's table, a few thousand rows
 * per transaction; a built worker (a child process) makes their jobs and stops; FLUSHDB of the worker's
 * Redis database (all it has: FLUSHALL for the service); a new worker starts: times until all N delayed
 * jobs exist again (and the checkpoint is back at the head), then until the first and the last email
 * reaches the SMTP sink once due, each exactly once. Baseline, same run: `queue.addBulk` of N delayed jobs
 * straight into BullMQ, in chunks of 1000 as the scheduler does. Also the worker's peak RSS. Uses its own
 * database and Redis databases.
 *
 *   npm run bench:recovery -- [emails=100000] [dueInSeconds=90]
 */
import { randomUUID } from 'node:crypto';
import { EMAIL_EVENT_SCHEMA_VERSION } from '@app/domain';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { formatPosition } from '@app/event-store';
import { AppProcess, buildApps, emailHistory, waitFor } from '@app/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { redisConnectionOptions } from '@app/platform';
import { SEND_QUEUE, sendJobId } from '../apps/worker/src/queue/send-queue';
import { WorkerHarness } from '../apps/worker/src/testing/worker-harness';
import { describeMachine, markdownTable, recordResults } from './machine';

const emails = Number(process.argv[2] ?? 100_000);
/** When the seeded emails fall due, from the start: after the jobs are back, so their sending is timed too. */
const dueInSeconds = Number(process.argv[3] ?? 90);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const CHUNK = 5_000;
const BULK = 1_000;
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
              delay: 10 * 60_000 - (Date.now() - now),
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
  buildApps('worker');
  const harness = await WorkerHarness.start(redisUrl);
  const pool = new Pool({ connectionString: harness.database.url, max: 2 });
  let worker: AppProcess | undefined;
  const peaks: number[] = [];
  try {
    const dueAt = Date.now() + dueInSeconds * 1000;
    const seedSeconds = await timed(() => seed(pool, new Date(dueAt).toISOString()));
    console.log(`seeded ${emails} pending emails in ${seedSeconds.toFixed(1)} s`);
    const head = await harness.store.headPosition(EMAIL_CATEGORY);
    if (head === 'start') throw new Error('nothing seeded');
    const headText = formatPosition(head);
    const atHead = async (): Promise<boolean> =>
      (
        await pool
          .query<{ position: string | null }>(`SELECT position FROM scheduler.owner`)
          .catch(() => ({ rows: [] }))
      ).rows[0]?.position === headText;
    const jobsBack = async (): Promise<boolean> => (await harness.redis.zcard(DELAYED)) >= emails;
    const env = { ...(harness.env as Record<string, string>), LOG_LEVEL: 'info' };

    // A worker makes the jobs, then stops; Redis loses everything; a new worker is started.
    const first = await AppProcess.start('worker', env);
    const firstSeconds = await timed(() =>
      waitFor('the checkpoint at the head', atHead, 600_000, 20),
    );
    const firstJobs = await harness.redis.zcard(DELAYED);
    if (firstJobs !== emails) throw new Error(`first start made ${firstJobs} jobs, not ${emails}`);
    peaks.push(first.peakRssBytes());
    await first.stop();
    await harness.redis.flushdb();

    let jobsSeconds = 0;
    const checkpointSeconds = await timed(async () => {
      jobsSeconds = await timed(async () => {
        worker = await AppProcess.start('worker', env);
        await waitFor('every job back', jobsBack, 600_000, 20);
      });
      await waitFor('the checkpoint at the head', atHead, 600_000, 20);
    });
    const rebuilt = await harness.redis.zcard(DELAYED);
    if (rebuilt !== emails) throw new Error(`replay made ${rebuilt} jobs, not ${emails}`);
    const rebuiltAt = Date.now();
    if (rebuiltAt > dueAt)
      console.log(`the jobs were back ${rebuiltAt - dueAt} ms after they fell due`);

    // Then every email goes out once due: the first and the last arrival at the sink.
    const arrived = (): number => harness.sink.messages.filter((m) => m.answer === 250).length;
    await waitFor('every email at the sink', () => arrived() >= emails, 900_000, 200);
    const arrivals = harness.sink.messages
      .filter((m) => m.answer === 250)
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    const distinct = new Set(harness.sink.messages.map((m) => m.messageId)).size;
    if (distinct !== emails) throw new Error(`${distinct} distinct emails arrived, not ${emails}`);
    peaks.push(worker?.peakRssBytes() ?? NaN);
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
        row('worker first start: catch-up from position 0', firstSeconds),
        row('after FLUSHDB, a new worker: boot + all N delayed jobs back', jobsSeconds),
        row('after FLUSHDB, a new worker: checkpoint back at the head', checkpointSeconds),
      ],
    );
    const machine = await describeMachine(pool);
    const sent =
      `sends once due (all ${emails} due at one instant, ${((dueAt - rebuiltAt) / 1000).toFixed(1)} s after the jobs were back): ` +
      `first at +${(arrivals[0] ?? NaN) - dueAt} ms, last at +${((arrivals[arrivals.length - 1] ?? NaN) - dueAt) / 1000} s, ` +
      `each exactly once; worker peak RSS ${Math.round(Math.max(...peaks) / 2 ** 20)} MiB`;
    process.stdout.write(`\n${emails} pending emails, ${machine}\n\n${table}\n\n${sent}\n`);
    await recordResults(
      `Worker recovery after Redis loss, ${emails} pending emails`,
      machine,
      `${table}\n\n${sent}`,
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
