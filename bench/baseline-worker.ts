/**
 * What a user would build instead, for the end-to-end benchmarks: delayed jobs in plain BullMQ or in
 * pg-boss, each taken by a worker (a child process, this file run as a script) that sends it with a pooled
 * nodemailer transport. Same sink, SMTP pool and concurrency as ours.
 *
 *   ts-node bench/baseline-worker.ts <bullmq|pg-boss> <redis or postgres url> <smtp url> <concurrency>
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { createTransport } from 'nodemailer';
import PgBoss from 'pg-boss';
import { redisConnectionOptions } from '@app/platform';
import { ROOT } from '@app/testing';
import { processCpuSeconds } from './stack';

export type BaselineKind = 'bullmq' | 'pg-boss';
export const SMTP_POOL = 5;
/** Messages a pooled connection carries before it is replaced, as in the worker's transport. */
const MESSAGES_PER_CONNECTION = 1_000;
const QUEUE = 'bench-baseline';
/**
 * pg-boss workers poll (every 0.5 s at the least) and take up to a batch each time, so its throughput is
 * batch × workers / 0.5 s: 5 workers of 100 keep up with 1,000 emails/s, its sends queueing in the same
 * SMTP pool as everyone's.
 */
const PG_BOSS_BATCH = 100;
const PG_BOSS_WORKERS = 5;

export interface BaselineJob {
  readonly messageId: string;
  readonly to: string;
  /** Epoch ms. */
  readonly dueAt: number;
}

function runWorker(kind: string, url: string, smtpUrl: string, concurrency: number): void {
  // The same pool as ours: connections and how many messages each carries.
  const transport = createTransport({
    pool: true,
    url: smtpUrl,
    maxConnections: SMTP_POOL,
    maxMessages: MESSAGES_PER_CONNECTION,
  });
  const send = (data: { messageId: string; to: string }) =>
    transport.sendMail({
      messageId: data.messageId,
      from: 'bench@example.com',
      to: data.to,
      subject: 'Baseline',
      text: 'Hello from the benchmark',
    });
  const ready = (): boolean => process.stdout.write('baseline ready\n');
  if (kind === 'bullmq') {
    const worker = new Worker<{ messageId: string; to: string }>(
      QUEUE,
      async (job) => {
        await send(job.data);
      },
      { connection: redisConnectionOptions(url), concurrency },
    );
    worker.on('ready', ready);
    process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
    return;
  }
  const boss = new PgBoss({ connectionString: url, max: 10 });
  boss.on('error', (error) => process.stderr.write(`pg-boss: ${String(error)}\n`));
  void boss.start().then(async () => {
    await boss.createQueue(QUEUE);
    for (let w = 0; w < PG_BOSS_WORKERS; w += 1) {
      await boss.work<{ messageId: string; to: string }>(
        QUEUE,
        { batchSize: PG_BOSS_BATCH, pollingIntervalSeconds: 0.5 },
        async (jobs) => {
          await Promise.all(jobs.map((job) => send(job.data)));
        },
      );
    }
    ready();
  });
  process.once('SIGTERM', () => void boss.stop({ graceful: false }).then(() => process.exit(0)));
}

/** A running baseline: its worker processes, and how to hand them jobs. */
export class Baseline {
  private constructor(
    readonly kind: BaselineKind,
    private readonly children: readonly ChildProcess[],
    private readonly enqueue: (jobs: readonly BaselineJob[]) => Promise<void>,
    private readonly close: () => Promise<void>,
  ) {}

  /** Starts `processes` workers on `url` (a Redis db for BullMQ, an empty database for pg-boss), empty. */
  static async start(
    kind: BaselineKind,
    url: string,
    smtpUrl: string,
    concurrency: number,
    processes = 1,
  ): Promise<Baseline> {
    let enqueue: (jobs: readonly BaselineJob[]) => Promise<void>;
    let close: () => Promise<void>;
    if (kind === 'bullmq') {
      const queue = new Queue(QUEUE, { connection: redisConnectionOptions(url) });
      await queue.obliterate({ force: true });
      enqueue = async (jobs) => {
        await queue.addBulk(
          jobs.map(({ messageId, to, dueAt }) => ({
            name: 'send',
            data: { messageId, to },
            opts: { delay: Math.max(0, dueAt - Date.now()), removeOnComplete: true },
          })),
        );
      };
      close = async () => {
        await queue.obliterate({ force: true });
        await queue.close();
      };
    } else {
      const boss = new PgBoss({ connectionString: url, max: 2 });
      boss.on('error', () => undefined);
      await boss.start();
      await boss.createQueue(QUEUE);
      enqueue = async (jobs) => {
        await boss.insert(
          jobs.map(({ messageId, to, dueAt }) => ({
            name: QUEUE,
            data: { messageId, to },
            startAfter: new Date(dueAt),
          })),
        );
      };
      close = () => boss.stop({ graceful: false });
    }
    const children: ChildProcess[] = [];
    for (let i = 0; i < processes; i += 1) {
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          __filename,
          kind,
          url,
          smtpUrl,
          String(concurrency),
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('baseline ready')) resolve();
        });
        child.once('exit', () => reject(new Error(`the ${kind} baseline worker exited`)));
      });
    }
    return new Baseline(kind, children, enqueue, close);
  }

  add(jobs: readonly BaselineJob[]): Promise<void> {
    return this.enqueue(jobs);
  }

  /** The first worker process's peak RSS so far, in MiB (VmHWM, read while it lives). */
  peakRssMiB(): number {
    const status = readFileSync(`/proc/${this.children[0]?.pid}/status`, 'utf8');
    return Math.round(Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024);
  }

  /** CPU seconds all its worker processes have used so far. */
  cpuSeconds(): number {
    return this.children.reduce((sum, child) => sum + processCpuSeconds(child.pid ?? -1), 0);
  }

  async stop(): Promise<void> {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await this.close();
  }
}

if (require.main === module) {
  runWorker(
    process.argv[2] ?? 'bullmq',
    process.argv[3] ?? '',
    process.argv[4] ?? '',
    Number(process.argv[5] ?? 10),
  );
}
