/**
 * End to end, a burst: N emails all due at the same instant T, measured where they land (a real SMTP sink
 * on loopback): time to drain (T → last arrival), emails/s, lateness p50/p99/max, and each process's peak
 * RSS. Ours: scheduled through the api's batch endpoint (1,000 per request), the built api, projector and
 * worker as users start them. Baselines, same run, same sink, same SMTP pool and concurrency: plain BullMQ
 * (`delay` = T − now) → nodemailer, and pg-boss (`startAfter` T) → nodemailer, each worker a child process.
 *
 *   npm run bench:burst -- [emails=10000] [concurrency=50] [leadSeconds=30]
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { buildApps, createTestDatabase, percentile } from '@app/testing';
import { Baseline, SMTP_POOL, type BaselineKind } from './baseline-worker';
import { describeMachine, markdownTable, recordResults } from './machine';
import { SinkProcess } from './sink-process';
import { BENCH_ADMIN_KEY, startStack } from './stack';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const baselineRedisUrl = process.env.BENCH_BASELINE_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const BATCH = 1_000;

interface Burst {
  readonly emails: number;
  readonly drainMs: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly rssMiB: Record<string, number>;
}

/** Waits for every Message-ID at the sink; lateness is arrival − T. */
async function measure(sink: SinkProcess, messageIds: readonly string[], dueAt: number) {
  const arrivals = await sink.arrivalsOf(messageIds, 600_000);
  const lateness = arrivals.map((at) => at - dueAt);
  const drainMs = Math.max(...lateness);
  return {
    emails: messageIds.length,
    drainMs,
    perSecond: Math.round(messageIds.length / (drainMs / 1000)),
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: drainMs,
  };
}

function email(n: number, dueAt: number): Record<string, unknown> {
  return {
    from: 'bench@example.com',
    to: [`burst${n}@example.net`],
    subject: `Burst ${n}`,
    text: 'Hello from the burst benchmark',
    sendAt: new Date(dueAt).toISOString(),
  };
}

async function ours(
  sink: SinkProcess,
  emails: number,
  concurrency: number,
  leadMs: number,
): Promise<Burst> {
  const stack = await startStack({
    redisUrl,
    smtpUrl: sink.url,
    env: { WORKER_CONCURRENCY: String(concurrency), SMTP_POOL_SIZE: String(SMTP_POOL) },
  });
  try {
    await stack.start('api', 'api');
    await stack.start('projector', 'projector');
    await stack.start('worker', 'worker');
    const dueAt = Date.now() + leadMs;
    const messageIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let first = next; first < emails; first = next) {
          next += BATCH;
          const count = Math.min(BATCH, emails - first);
          const response = await fetch(`${stack.apiUrl}/v1/emails/batch`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${BENCH_ADMIN_KEY}`,
            },
            body: JSON.stringify({
              emails: Array.from({ length: count }, (_, i) => email(first + i, dueAt)),
            }),
          });
          const body = (await response.json()) as { results: { status: number; id: string }[] };
          for (const result of body.results) {
            if (result.status !== 201) throw new Error(`batch item answered ${result.status}`);
            messageIds.push(`<${result.id}@example.com>`);
          }
        }
      }),
    );
    const scheduledIn = Date.now() - (dueAt - leadMs);
    if (Date.now() > dueAt - 2_000) {
      throw new Error(`scheduling took ${scheduledIn} ms: raise leadSeconds`);
    }
    process.stdout.write(
      `ours: ${emails} scheduled through the batch endpoint in ${scheduledIn} ms\n`,
    );
    const result = await measure(sink, messageIds, dueAt);
    return { ...result, rssMiB: stack.peakRssMiB() };
  } finally {
    await stack.stop();
  }
}

/** A baseline: its worker started, N jobs due at T handed to it, measured at the same sink. */
async function baseline(
  kind: BaselineKind,
  url: string,
  sink: SinkProcess,
  emails: number,
  concurrency: number,
  leadMs: number,
): Promise<Burst> {
  const worker = await Baseline.start(kind, url, sink.url, concurrency);
  try {
    const dueAt = Date.now() + leadMs;
    const messageIds = Array.from({ length: emails }, () => `<${randomUUID()}@example.com>`);
    for (let first = 0; first < emails; first += BATCH) {
      await worker.add(
        messageIds
          .slice(first, first + BATCH)
          .map((messageId, i) => ({ messageId, to: `${kind}${first + i}@example.net`, dueAt })),
      );
    }
    const result = await measure(sink, messageIds, dueAt);
    return { ...result, rssMiB: { [`${kind} worker`]: worker.peakRssMiB() } };
  } finally {
    await worker.stop();
  }
}

async function main(): Promise<void> {
  const emails = Number(process.argv[2] ?? 10_000);
  const concurrency = Number(process.argv[3] ?? 50);
  const leadMs = Number(process.argv[4] ?? 30) * 1000;
  buildApps('api', 'projector', 'worker');
  const sink = await SinkProcess.start();
  const machinePool = new Pool({
    connectionString:
      process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    max: 1,
  });
  let bull: Burst;
  let boss: Burst;
  try {
    // A warm-up of each at a tenth of the size, then the measured runs.
    const warm = Math.max(10, Math.round(emails / 10));
    const pgBossDatabase = await createTestDatabase('bench_pgboss');
    try {
      await baseline('bullmq', baselineRedisUrl, sink, warm, concurrency, 5_000);
      bull = await baseline('bullmq', baselineRedisUrl, sink, emails, concurrency, leadMs);
      await baseline('pg-boss', pgBossDatabase.url, sink, warm, concurrency, 5_000);
      boss = await baseline('pg-boss', pgBossDatabase.url, sink, emails, concurrency, leadMs);
    } finally {
      await pgBossDatabase.drop();
    }
    await ours(sink, warm, concurrency, 10_000);
    const mine = await ours(sink, emails, concurrency, leadMs);
    const row = (name: string, b: Burst): (string | number)[] => [
      name,
      b.emails,
      (b.drainMs / 1000).toFixed(2),
      b.perSecond,
      b.p50,
      b.p99,
      b.max,
      `${Math.round((b.perSecond / bull.perSecond) * 100)} %`,
      `${Math.round((b.perSecond / boss.perSecond) * 100)} %`,
      Object.entries(b.rssMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', '),
    ];
    const table = markdownTable(
      [
        'variant',
        'emails',
        'drain s',
        'emails/s',
        'late p50 ms',
        'late p99 ms',
        'late max ms',
        'vs BullMQ',
        'vs pg-boss',
        'peak RSS MiB',
      ],
      [
        row('baseline: BullMQ delayed jobs → nodemailer', bull),
        row('baseline: pg-boss startAfter → nodemailer', boss),
        row('ours: api batch → event store → scheduler → worker → SMTP, projector running', mine),
      ],
    );
    const setup = `${emails} emails due at one instant, worker concurrency ${concurrency}, SMTP pool ${SMTP_POOL}`;
    const drainRatio = `ours drains in ${(mine.drainMs / bull.drainMs).toFixed(2)}× BullMQ's time and ${(mine.drainMs / boss.drainMs).toFixed(2)}× pg-boss's`;
    const machine = await describeMachine(machinePool);
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${drainRatio}\n`);
    await recordResults(`End-to-end burst, ${setup}`, machine, `${table}\n\n${drainRatio}`);
  } finally {
    await machinePool.end();
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
