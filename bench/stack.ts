// The service as the benchmarks run it: the built apps (api, projector, worker) as child processes on a
// database and a Redis database of their own, sending to `smtpUrl`, with an admin key, rate limits off.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import {
  AppProcess,
  createTestDatabase,
  freePort,
  type App,
  type TestDatabase,
} from '@app/testing';

export const BENCH_ADMIN_KEY = `esk_${'bench'.repeat(9)}`;

export interface Stack {
  readonly database: TestDatabase;
  readonly redisUrl: string;
  readonly apiUrl: string;
  readonly env: Record<string, string>;
  readonly processes: Map<string, AppProcess>;
  /** `entry`: another build's main.js of the app (see StartOptions.entry). */
  start(name: string, app: App, env?: Record<string, string>, entry?: string): Promise<AppProcess>;
  /** Peak RSS of every process started so far, in MiB, by name (sampled while they live). */
  peakRssMiB(): Record<string, number>;
  /** CPU seconds (user + system) each live process has used so far, by name. */
  cpuSeconds(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startStack(options: {
  readonly redisUrl: string;
  readonly smtpUrl: string;
  readonly env?: Record<string, string>;
}): Promise<Stack> {
  const database = await createTestDatabase('bench');
  const redis = new Redis(options.redisUrl);
  await redis.flushdb();
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl,
    SMTP_URL: options.smtpUrl,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    PORT: String(port),
    SENDER_RATE_LIMIT_PER_HOUR: '0',
    GLOBAL_RATE_LIMIT_PER_HOUR: '0',
    API_RATE_LIMIT: '100000000',
    SIGN_IN_RATE_LIMIT: '100000000',
    ...options.env,
  };
  const processes = new Map<string, AppProcess>();
  const peaks = new Map<string, number>();
  const sample = (): void => {
    for (const [name, p] of processes) {
      if (p.alive) peaks.set(name, Math.max(peaks.get(name) ?? 0, p.peakRssBytes()));
    }
  };
  const sampler = setInterval(sample, 500);
  return {
    database,
    redisUrl: options.redisUrl,
    apiUrl: `http://127.0.0.1:${port}`,
    env,
    processes,
    async start(name, app, extra = {}, entry) {
      // BENCH_CPU_PROF=<dir>: every app writes a V8 CPU profile there when it exits (to find bottlenecks).
      const profile = process.env.BENCH_CPU_PROF;
      const started = await AppProcess.start(
        app,
        { ...env, ...extra },
        {
          name,
          keepOutput: false,
          nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
          ...(entry === undefined ? {} : { entry }),
        },
      );
      processes.set(name, started);
      return started;
    },
    cpuSeconds() {
      return Object.fromEntries(
        [...processes]
          .filter(([, p]) => p.alive)
          .map(([name, p]) => [name, processCpuSeconds(p.pid)]),
      );
    },
    peakRssMiB() {
      sample();
      return Object.fromEntries(
        [...peaks].map(([name, bytes]) => [name, Math.round(bytes / 2 ** 20)]),
      );
    },
    async stop() {
      clearInterval(sampler);
      for (const p of processes.values()) await p.stop();
      await redis.flushdb();
      redis.disconnect();
      await database.drop();
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (Linux, 100 ticks a second). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU seconds of the whole machine so far, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/);
  const values = ticks.map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}
