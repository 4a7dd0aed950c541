/**
 * More worker processes, same work (ADR 0007): 1, 2 and 4 built workers (one schedules, the others only send)
 * at one fixed rate, each email a `POST /v1/emails` due 3 s later, through a real SMTP sink. Per email:
 * event-store rows read (Postgres's own counters for the events table: every read of the api, the projector,
 * the scheduler and the senders), CPU of all workers together, and lateness p99. Before ADR 0007 every worker
 * ran its own subscription over all events, so reads and CPU per email grew with the number of workers;
 * now they must not. Baseline, same run: plain BullMQ delayed jobs sent with nodemailer by 1, 2 and 4 worker
 * processes at the same rate (what spreading sends over more processes costs by itself). With
 * BENCH_PREVIOUS_ROOT naming a checkout of an earlier commit with its worker built, ours again with that
 * worker. Each run has its own stack (database, Redis database).
 *
 *   npm run bench:workers -- [rate=100] [seconds=30]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { buildApps, waitFor } from '@app/testing';
import { Baseline } from './baseline-worker';
import { describeMachine, markdownTable, recordResults } from './machine';
import { measureLateness, paced, scheduleDue } from './paced';
import { SinkProcess } from './sink-process';
import { startStack } from './stack';

const DUE_IN_MS = 3_000;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const rate = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 30);

interface Run {
  readonly workers: number;
  readonly emails: number;
  readonly rowsReadPerEmail: number;
  readonly workerCpuMsPerEmail: number;
  readonly p99: number;
}

/** Rows Postgres has handed out of the events table so far (sequential and index reads). */
async function eventRowsRead(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n
       FROM pg_stat_user_tables WHERE schemaname = 'event_store' AND relname = 'events'`,
  );
  return Number(rows[0]?.n ?? NaN);
}

/** Plain BullMQ: CPU ms per email of `workers` worker processes together. */
async function baseline(sink: SinkProcess, workers: number): Promise<number> {
  const bull = await Baseline.start('bullmq', baselineRedisUrl, sink.url, 50, workers);
  try {
    const cpuBefore = bull.cpuSeconds();
    const ids: string[] = [];
    await paced(rate, seconds, async (n) => {
      const messageId = `<${randomUUID()}@example.com>`;
      ids.push(messageId);
      await bull.add([{ messageId, to: `bull${n}@example.net`, dueAt: Date.now() + DUE_IN_MS }]);
    });
    await sink.arrivalsOf(ids, 180_000);
    return ((bull.cpuSeconds() - cpuBefore) / ids.length) * 1000;
  } finally {
    await bull.stop();
  }
}

async function run(sink: SinkProcess, workers: number, entry?: string): Promise<Run> {
  const stack = await startStack({ redisUrl, smtpUrl: sink.url });
  const pool = new Pool({ connectionString: stack.database.url, max: 1 });
  try {
    await stack.start('api', 'api');
    await stack.start('projector', 'projector');
    const names = Array.from({ length: workers }, (_, i) => `worker-${i + 1}`);
    for (const name of names) await stack.start(name, 'worker', {}, entry);
    const workerCpu = (): number =>
      names.reduce((sum, name) => sum + (stack.cpuSeconds()[name] ?? 0), 0);
    // Postgres publishes table counters about once a second; read them settled.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const readsBefore = await eventRowsRead(pool);
    const cpuBefore = workerCpu();
    const due = new Map<string, number>();
    await paced(rate, seconds, async (n) => {
      const email = await scheduleDue(stack.apiUrl, 'scale', n, DUE_IN_MS);
      if (email === undefined) throw new Error('an email was refused');
      due.set(email.messageId, email.dueAt);
    });
    const lateness = await measureLateness(sink, due);
    // The outcomes are appended after the sink answered: wait for them, then for the counters.
    await waitFor(
      'every outcome',
      async () =>
        Number(
          (
            await pool.query<{ n: string }>(
              `SELECT count(*) AS n FROM event_store.events WHERE type = 'EmailSent'`,
            )
          ).rows[0]?.n,
        ) >= due.size,
      60_000,
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const cpu = workerCpu() - cpuBefore;
    const reads = (await eventRowsRead(pool)) - readsBefore;
    return {
      workers,
      emails: due.size,
      rowsReadPerEmail: reads / due.size,
      workerCpuMsPerEmail: (cpu / due.size) * 1000,
      p99: lateness.p99,
    };
  } finally {
    await pool.end();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  buildApps('api', 'projector', 'worker');
  const sink = await SinkProcess.start();
  try {
    // A smoke run (CI) only checks that the bench still works: one and two workers exercise every path.
    const counts = process.env.BENCH_SMOKE === '1' ? [1, 2] : [1, 2, 4];
    const runs: Run[] = [];
    for (const workers of counts) runs.push(await run(sink, workers));
    const previousRoot = process.env.BENCH_PREVIOUS_ROOT;
    const previousEntry = previousRoot
      ? join(previousRoot, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js')
      : undefined;
    const previous: Run[] = [];
    if (previousEntry)
      for (const workers of counts) previous.push(await run(sink, workers, previousEntry));
    const bull: number[] = [];
    for (const workers of counts) bull.push(await baseline(sink, workers));
    const ratio = (value: number, first: number | undefined): string =>
      `${(value / (first ?? NaN)).toFixed(2)}×`;
    const table = markdownTable(
      [
        'workers',
        'emails',
        'event rows read per email',
        'vs 1 worker',
        'worker CPU ms per email (all workers)',
        'vs 1 worker',
        'late p99 ms',
        'baseline BullMQ CPU ms per email',
        'vs 1 worker',
        ...(previousEntry ? ['previous worker: rows read per email', 'its CPU ms per email'] : []),
      ],
      runs.map((r, i) => [
        r.workers,
        r.emails,
        r.rowsReadPerEmail.toFixed(1),
        ratio(r.rowsReadPerEmail, runs[0]?.rowsReadPerEmail),
        r.workerCpuMsPerEmail.toFixed(2),
        ratio(r.workerCpuMsPerEmail, runs[0]?.workerCpuMsPerEmail),
        r.p99,
        (bull[i] ?? NaN).toFixed(2),
        ratio(bull[i] ?? NaN, bull[0]),
        ...(previousEntry
          ? [
              (previous[i]?.rowsReadPerEmail ?? NaN).toFixed(1),
              (previous[i]?.workerCpuMsPerEmail ?? NaN).toFixed(2),
            ]
          : []),
      ]),
    );
    const setup = `${rate} emails/s for ${seconds} s, each due ${DUE_IN_MS / 1000} s after scheduling`;
    const pool = new Pool({
      connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      max: 1,
    });
    const machine = await describeMachine(pool);
    await pool.end();
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n`);
    await recordResults(`Workers 1, 2 and 4 at one rate, ${setup}`, machine, table);
  } finally {
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
