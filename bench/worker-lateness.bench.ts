/**
 * Lateness at a steady rate: `rate` emails/s for `seconds` s, each due 5 s after it is scheduled, measured
 * where it lands (receivedAt at a real SMTP sink − sendAt). Ours: scheduled as the api does (load, decide,
 * append to the Postgres event store), sent by the built worker (a child process: scheduler → BullMQ delayed
 * job → claim → SMTP → outcome). Baseline, same run, same sink and rate: plain BullMQ delayed jobs added
 * straight to Redis, a child process with a BullMQ worker (same concurrency) sending them with nodemailer.
 *
 *   npm run bench:lateness -- [rate=200] [seconds=30] [concurrency=10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { createTransport } from 'nodemailer';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { redisConnectionOptions } from '@app/platform';
import { SCHEDULER_STATE_KEY } from '../apps/worker/src/scheduler/scheduler-state';
import { SmtpSink } from '../apps/worker/src/testing/smtp-sink';
import { percentile, WorkerHarness } from '../apps/worker/src/testing/worker-harness';
import { buildWorker, ROOT, WorkerProcess } from '../apps/worker/src/testing/worker-process';
import { describeMachine, markdownTable, recordResults } from './machine';

const DUE_IN_MS = 5_000;
const BASELINE_QUEUE = 'bench-lateness-baseline';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

interface Lateness {
  readonly emails: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Calls `schedule` `rate` times a second for `seconds` s (paced by the clock, not by the calls). */
async function steady(
  rate: number,
  seconds: number,
  schedule: (n: number) => Promise<void>,
): Promise<number> {
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  while (Date.now() - started < seconds * 1_000) {
    const target = Math.floor(((Date.now() - started) / 1_000) * rate);
    for (; issued < target; issued += 1) {
      const call = schedule(issued).finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  return issued;
}

/** Waits until every Message-ID has arrived once; returns the lateness figures. */
async function measure(sink: SmtpSink, due: Map<string, number>): Promise<Lateness> {
  const deadline = Date.now() + 120_000;
  const arrived = new Map<string, number>();
  let seen = 0;
  while (arrived.size < due.size) {
    for (; seen < sink.messages.length; seen += 1) {
      const message = sink.messages[seen];
      if (message?.messageId && due.has(message.messageId) && !arrived.has(message.messageId)) {
        arrived.set(message.messageId, message.receivedAt);
      }
    }
    if (Date.now() > deadline) throw new Error(`only ${arrived.size} of ${due.size} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lateness = [...arrived].map(([id, at]) => at - (due.get(id) ?? NaN));
  return {
    emails: lateness.length,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: Math.max(...lateness),
  };
}

/** Where ours spends the lateness: the scheduler's lag, then waiting for a sender, then claim → arrival. */
interface Breakdown {
  readonly schedulerLagP99: number;
  readonly schedulerLagMax: number;
  readonly claimLagP50: number;
  readonly claimLagP99: number;
  readonly claimToArrivalP50: number;
  readonly claimToArrivalP99: number;
}

/** The age of the oldest event the scheduler has not processed yet (0 when it is at the head). */
async function schedulerLagMs(harness: WorkerHarness, pool: Pool): Promise<number> {
  const checkpoint = await harness.redis.hget(SCHEDULER_STATE_KEY, 'position');
  const [commit, prepare] = checkpoint ? checkpoint.split('/') : ['0', '0'];
  const { rows } = await pool.query<{ lag: number | null }>(
    `SELECT (extract(epoch FROM clock_timestamp() - min(recorded_at)) * 1000)::float8 AS lag
       FROM event_store.events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
    [commit, prepare],
  );
  return rows[0]?.lag ?? 0;
}

async function ours(
  harness: WorkerHarness,
  pool: Pool,
  rate: number,
  seconds: number,
  concurrency: number,
): Promise<[Lateness, Breakdown]> {
  const worker = await WorkerProcess.start({
    ...(harness.env as Record<string, string>),
    WORKER_CONCURRENCY: String(concurrency),
    LOG_LEVEL: 'info',
  });
  const lags: number[] = [];
  const sampler = setInterval(() => {
    schedulerLagMs(harness, pool).then(
      (lag) => lags.push(lag),
      () => undefined,
    );
  }, 250);
  try {
    const due = new Map<string, number>();
    const ids: [string, number][] = [];
    await steady(rate, seconds, async (n) => {
      const sendAt = Date.now() + DUE_IN_MS;
      const id = await harness.schedule(`late${n}@example.com`, sendAt);
      due.set(`<${id}@example.com>`, sendAt);
      ids.push([id, sendAt]);
    });
    const lateness = await measure(harness.sink, due);
    clearInterval(sampler);
    const claimLags: number[] = [];
    const claimToArrival: number[] = [];
    const arrivals = new Map(harness.sink.messages.map((m) => [m.messageId, m.receivedAt]));
    for (const [id, sendAt] of ids.filter((_, i) => i % 10 === 0)) {
      const claim = (await harness.history(id)).find((e) => e.type === 'EmailSendAttempted');
      if (claim?.type !== 'EmailSendAttempted') continue;
      const claimedAt = Date.parse(claim.data.claimedAt);
      claimLags.push(claimedAt - sendAt);
      claimToArrival.push((arrivals.get(`<${id}@example.com>`) ?? NaN) - claimedAt);
    }
    return [
      lateness,
      {
        schedulerLagP99: Math.round(percentile(lags, 99)),
        schedulerLagMax: Math.round(Math.max(...lags)),
        claimLagP50: percentile(claimLags, 50),
        claimLagP99: percentile(claimLags, 99),
        claimToArrivalP50: percentile(claimToArrival, 50),
        claimToArrivalP99: percentile(claimToArrival, 99),
      },
    ];
  } finally {
    clearInterval(sampler);
    await worker.stop();
  }
}

/** The baseline's worker process: BullMQ worker → pooled nodemailer transport, nothing else. */
function runBaselineWorker(queueRedisUrl: string, smtpUrl: string, concurrency: number): void {
  const transport = createTransport({ pool: true, url: smtpUrl, maxConnections: 5 });
  const worker = new Worker<{ messageId: string; to: string }>(
    BASELINE_QUEUE,
    async (job) => {
      await transport.sendMail({
        messageId: job.data.messageId,
        from: 'sender@example.com',
        to: job.data.to,
        subject: 'Baseline',
        text: 'Hello from the baseline',
      });
    },
    { connection: redisConnectionOptions(queueRedisUrl), concurrency },
  );
  worker.on('ready', () => process.stdout.write('baseline ready\n'));
  process.once('SIGTERM', () => {
    void worker.close().then(() => {
      transport.close();
      process.exit(0);
    });
  });
}

async function baseline(
  sink: SmtpSink,
  rate: number,
  seconds: number,
  concurrency: number,
): Promise<Lateness> {
  const redis = new Redis(baselineRedisUrl);
  await redis.flushdb();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      __filename,
      '--baseline-worker',
      baselineRedisUrl,
      sink.url,
      String(concurrency),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('baseline ready')) resolve();
      });
      child.once('exit', () => reject(new Error('the baseline worker exited')));
    });
    const queue = new Queue(BASELINE_QUEUE, {
      connection: redisConnectionOptions(baselineRedisUrl),
    });
    const due = new Map<string, number>();
    await steady(rate, seconds, async (n) => {
      const sendAt = Date.now() + DUE_IN_MS;
      const messageId = `<${randomUUID()}@example.com>`;
      due.set(messageId, sendAt);
      await queue.add(
        'send',
        { messageId, to: `base${n}@example.com` },
        { delay: sendAt - Date.now(), removeOnComplete: true },
      );
    });
    const result = await measure(sink, due);
    await queue.close();
    return result;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await redis.flushdb();
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 30);
  const concurrency = Number(process.argv[4] ?? 10);
  buildWorker();
  const harness = await WorkerHarness.start(redisUrl);
  const pool = new Pool({ connectionString: harness.database.url, max: 2 });
  try {
    const base = await baseline(harness.sink, rate, seconds, concurrency);
    const [mine, breakdown] = await ours(harness, pool, rate, seconds, concurrency);
    const row = (name: string, l: Lateness): (string | number)[] => [
      name,
      l.emails,
      l.p50,
      l.p99,
      l.max,
      `${(l.p99 / Math.max(1, base.p99)).toFixed(1)}×`,
    ];
    const table = markdownTable(
      ['variant', 'emails', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs baseline'],
      [
        row('baseline: BullMQ delayed job → nodemailer (no event store)', base),
        row('ours: event store → scheduler → delayed job → claim → SMTP → outcome', mine),
      ],
    );
    const machine = await describeMachine(pool);
    const setup = `${rate} emails/s for ${seconds} s, each due ${DUE_IN_MS / 1000} s after scheduling, worker concurrency ${concurrency}`;
    const where =
      `ours, where the time goes: scheduler lag p99 ${breakdown.schedulerLagP99} ms (max ${breakdown.schedulerLagMax}); ` +
      `due → claimed p50 ${breakdown.claimLagP50} ms, p99 ${breakdown.claimLagP99} ms; ` +
      `claimed → at the sink p50 ${breakdown.claimToArrivalP50} ms, p99 ${breakdown.claimToArrivalP99} ms`;
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${where}\n`);
    await recordResults(`Worker lateness, ${setup}`, machine, `${table}\n\n${where}`);
  } finally {
    await pool.end();
    await harness.stop();
  }
}

if (process.argv[2] === '--baseline-worker') {
  runBaselineWorker(
    process.argv[3] ?? baselineRedisUrl,
    process.argv[4] ?? '',
    Number(process.argv[5] ?? 10),
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
