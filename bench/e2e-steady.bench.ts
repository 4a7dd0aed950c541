/**
 * End to end at a steady rate: `rate` emails/s for `seconds` s, each due 5 s after it is scheduled,
 * measured where it lands (arrival at a real SMTP sink − sendAt): lateness p50/p99/max. Ours: each email a
 * single `POST /v1/emails` to the built api, with the projector and the worker running as users start them;
 * the projector's lag (GET /v1/admin/projections) is sampled all along. Baselines, same run, same sink and
 * rate: plain BullMQ delayed jobs and pg-boss `startAfter` jobs, each sent by a worker with nodemailer; and,
 * when BENCH_PREVIOUS_ROOT names a checkout of an earlier commit with its apps built (`nest build worker`
 * there), ours again with that checkout's worker, so a change is measured against what it replaced.
 *
 *   npm run bench:steady -- [rate=200] [seconds=60] [concurrency=the worker's default]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { emailIdOfStream } from '@app/email-streams';
import { buildApps, createTestDatabase, percentile } from '@app/testing';
import { Baseline, type BaselineKind } from './baseline-worker';
import { describeMachine, markdownTable, recordResults } from './machine';
import {
  type Lateness,
  latenessRow,
  measureLateness,
  paced,
  scheduleDue,
  summarise,
} from './paced';
import { SinkProcess } from './sink-process';
import { BENCH_ADMIN_KEY, machineCpuSeconds, startStack } from './stack';

const DUE_IN_MS = 5_000;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

async function ours(
  sink: SinkProcess,
  rate: number,
  seconds: number,
  concurrency: string | undefined,
  workerEntry?: string,
): Promise<{
  lateness: Lateness;
  lagP99Ms: number;
  lagMaxMs: number;
  failed: number;
  claimLag: Lateness;
  claimToArrival: Lateness;
  cpu: string;
}> {
  const stack = await startStack({
    redisUrl,
    smtpUrl: sink.url,
    env: concurrency === undefined ? {} : { WORKER_CONCURRENCY: concurrency },
  });
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${BENCH_ADMIN_KEY}`,
  };
  try {
    await stack.start('api', 'api');
    await stack.start('projector', 'projector');
    await stack.start('worker', 'worker', {}, workerEntry);
    const lags: number[] = [];
    const sampler = setInterval(() => {
      fetch(`${stack.apiUrl}/v1/admin/projections`, { headers })
        .then((response) => response.json() as Promise<{ projections: { lagSeconds: number }[] }>)
        .then(
          ({ projections: [status] }) => lags.push((status?.lagSeconds ?? NaN) * 1000),
          () => undefined,
        );
    }, 250);
    const due = new Map<string, number>();
    let failed = 0;
    const cpuBefore = stack.cpuSeconds();
    const machineBefore = machineCpuSeconds();
    try {
      await paced(rate, seconds, async (n) => {
        const email = await scheduleDue(stack.apiUrl, 'steady', n, DUE_IN_MS);
        if (email === undefined) failed += 1;
        else due.set(email.messageId, email.dueAt);
      });
      const lateness = await measureLateness(sink, due);
      const cpuAfter = stack.cpuSeconds();
      const machineAfter = machineCpuSeconds();
      const elapsed = machineAfter.total - machineBefore.total;
      const cpu = [
        `machine ${Math.round(((machineAfter.busy - machineBefore.busy) / elapsed) * 100)} % busy`,
        ...Object.entries(cpuAfter).map(
          ([name, used]) =>
            `${name} ${(((used - (cpuBefore[name] ?? 0)) / due.size) * 1000).toFixed(2)} ms`,
        ),
      ].join(', ');
      // Where the time went: sendAt → claimed (scheduler, BullMQ, the worker taking it), claimed → the sink.
      const pool = new Pool({ connectionString: stack.database.url, max: 1 });
      const { rows } = await pool.query<{ stream_name: string; claimed_at: string }>(
        `SELECT stream_name, data->>'claimedAt' AS claimed_at FROM event_store.events
          WHERE type = 'EmailSendAttempted'`,
      );
      await pool.end();
      const claimLags: number[] = [];
      const claimToArrivals: number[] = [];
      for (const row of rows) {
        const messageId = `<${emailIdOfStream(row.stream_name) ?? row.stream_name}@example.com>`;
        const dueAt = due.get(messageId);
        const arrival = sink.arrival(messageId);
        if (dueAt === undefined || arrival === undefined) continue;
        claimLags.push(Date.parse(row.claimed_at) - dueAt);
        claimToArrivals.push(arrival - Date.parse(row.claimed_at));
      }
      return {
        cpu,
        claimLag: summarise(claimLags),
        claimToArrival: summarise(claimToArrivals),
        lateness,
        lagP99Ms: Math.round(percentile(lags, 99)),
        lagMaxMs: Math.round(Math.max(...lags)),
        failed,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await stack.stop();
  }
}

async function baseline(
  kind: BaselineKind,
  url: string,
  sink: SinkProcess,
  rate: number,
  seconds: number,
  concurrency: number,
): Promise<Lateness> {
  const worker = await Baseline.start(kind, url, sink.url, concurrency);
  try {
    const due = new Map<string, number>();
    await paced(rate, seconds, async (n) => {
      const dueAt = Date.now() + DUE_IN_MS;
      const messageId = `<${randomUUID()}@example.com>`;
      due.set(messageId, dueAt);
      await worker.add([{ messageId, to: `${kind}${n}@example.net`, dueAt }]);
    });
    return await measureLateness(sink, due);
  } finally {
    await worker.stop();
  }
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 60);
  const concurrency = process.argv[4];
  const baselineConcurrency = Number(concurrency ?? 50);
  buildApps('api', 'projector', 'worker');
  const sink = await SinkProcess.start();
  const pgBossDatabase = await createTestDatabase('bench_pgboss');
  const machinePool = new Pool({ connectionString: pgBossDatabase.url, max: 1 });
  try {
    const bull = await baseline(
      'bullmq',
      baselineRedisUrl,
      sink,
      rate,
      seconds,
      baselineConcurrency,
    );
    const boss = await baseline(
      'pg-boss',
      pgBossDatabase.url,
      sink,
      rate,
      seconds,
      baselineConcurrency,
    );
    const mine = await ours(sink, rate, seconds, concurrency);
    const previousRoot = process.env.BENCH_PREVIOUS_ROOT;
    const previous = previousRoot
      ? await ours(
          sink,
          rate,
          seconds,
          concurrency,
          join(previousRoot, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js'),
        )
      : undefined;
    const row = (name: string, l: Lateness) => latenessRow(name, l, bull, 1);
    const table = markdownTable(
      ['variant', 'emails', 'late p50 ms', 'late p99 ms', 'late max ms', 'p99 vs BullMQ'],
      [
        row('baseline: BullMQ delayed job → nodemailer', bull),
        row('baseline: pg-boss startAfter → nodemailer', boss),
        row('ours: POST /v1/emails → event store → scheduler → worker → SMTP', mine.lateness),
        ...(previous
          ? [row(`ours with the worker of ${previousRoot ?? ''}`, previous.lateness)]
          : []),
      ],
    );
    const setup = `${rate} emails/s for ${seconds} s, each due ${DUE_IN_MS / 1000} s after scheduling, worker concurrency ${concurrency ?? 'default'}`;
    const lag =
      `ours, where the time goes: sendAt → claimed p50 ${mine.claimLag.p50} ms, p99 ${mine.claimLag.p99} ms, max ${mine.claimLag.max} ms; ` +
      `claimed → at the sink p50 ${mine.claimToArrival.p50} ms, p99 ${mine.claimToArrival.p99} ms. ` +
      `CPU per email (cores × seconds / emails): ${mine.cpu}. ` +
      `Projector lag under this load (lagSeconds of GET /v1/admin/projections, every 250 ms): p99 ${mine.lagP99Ms} ms, max ${mine.lagMaxMs} ms; requests refused: ${mine.failed}`;
    const machine = await describeMachine(machinePool);
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${lag}\n`);
    await recordResults(`End-to-end steady, ${setup}`, machine, `${table}\n\n${lag}`);
  } finally {
    await machinePool.end();
    await pgBossDatabase.drop();
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
