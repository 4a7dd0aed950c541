// A built app (dist/…/main.js, what `npm run start:<app>` runs) as a child process of a test or a bench:
// spawned with an explicit environment, ready when it logs so, signalled (kill -9, SIGTERM, SIGSTOP…), its
// memory read from /proc while it lives.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

export type App = 'api' | 'projector' | 'worker' | 'dispatcher' | 'mail-catcher';

export const ROOT = join(__dirname, '..', '..', '..');
const NEST_CLI = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const READY: Record<App, string> = {
  api: 'api ready on',
  projector: 'projector ready',
  worker: 'worker ready',
  dispatcher: 'dispatcher ready',
  'mail-catcher': 'mail-catcher ready',
};

export function appEntry(app: App): string {
  return join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/**
 * `nest build <app>` for each: tests and benches run the same build users start. Skipped when
 * APPS_PREBUILT=1: `npm run bench:smoke` builds every app once before its benches instead of each
 * bench building its own again.
 */
export function buildApps(...apps: App[]): void {
  if (process.env.APPS_PREBUILT === '1') return;
  for (const app of apps) {
    execFileSync(process.execPath, [NEST_CLI, 'build', app], { cwd: ROOT, stdio: 'pipe' });
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) * 1024;
}

export interface StartOptions {
  /** How logs and errors name the process (e.g. worker-2); the app's name by default. */
  readonly name?: string;
  readonly readyTimeoutMs?: number;
  /** Node's own flags, before the entry point (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /**
   * False: stop keeping the output once the app is ready (it is still read, so the app never blocks).
   * Benchmarks set it, so that the api's request log does not cost the measuring process its CPU.
   */
  readonly keepOutput?: boolean;
  /** Another build's main.js of the app (a previous version, for a baseline in the same run). */
  readonly entry?: string;
}

export class AppProcess {
  private text = '';
  private keeping = true;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly app: App,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      if (this.keeping) this.text += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Spawns the built app with only PATH and `env` (LOG_LEVEL info unless given) and waits until ready. */
  static async start(
    app: App,
    env: Record<string, string>,
    options: StartOptions = {},
  ): Promise<AppProcess> {
    const name = options.name ?? app;
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), options.entry ?? appEntry(app)],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = new AppProcess(name, app, child);
    await waitFor(
      `${name} to be ready`,
      () => started.text.includes(READY[app]) || !started.alive,
      options.readyTimeoutMs ?? 60_000,
      25,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${started.text}`);
    });
    if (!started.alive) throw new Error(`${name} exited at boot:\n${started.text}`);
    started.keeping = options.keepOutput ?? true;
    return started;
  }

  get output(): string {
    return this.text;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident set size in bytes, now and at its peak (VmHWM), while the process lives (Linux). */
  rssBytes(): number {
    return statusKb(this.pid, 'VmRSS');
  }

  peakRssBytes(): number {
    return statusKb(this.pid, 'VmHWM');
  }

  /** Sends `signal`; for SIGKILL and SIGTERM resolves once the process has exited. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    this.child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') await this.exited;
  }

  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM: graceful shutdown; resolved once the process has exited. */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }
}
