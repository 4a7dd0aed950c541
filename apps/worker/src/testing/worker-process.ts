// The built worker (dist/…/main.js, what `npm run start:worker` runs) as a child process of a test or a
// bench: spawned with an explicit environment, ready when it logs so, killed with SIGKILL or stopped with
// SIGTERM, its peak memory read from /proc while it lives.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@app/testing';

export const ROOT = join(__dirname, '..', '..', '..', '..');
const NEST_CLI = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
export const WORKER_ENTRY = join(
  ROOT,
  'dist',
  'apps',
  'worker',
  'apps',
  'worker',
  'src',
  'main.js',
);

/** `nest build worker`: the tests and benches run the same build users start. */
export function buildWorker(): void {
  execFileSync(process.execPath, [NEST_CLI, 'build', 'worker'], { cwd: ROOT, stdio: 'pipe' });
}

export class WorkerProcess {
  private output = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Spawns the built worker with only PATH and `env` (LOG_LEVEL info unless given) and waits until ready. */
  static async start(env: Record<string, string>, readyTimeoutMs = 30_000): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [WORKER_ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    await waitFor(
      'the worker process to be ready',
      () => worker.output.includes('worker ready') || !worker.alive,
      readyTimeoutMs,
      25,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${worker.output}`);
    });
    if (!worker.alive) throw new Error(`the worker process exited at boot:\n${worker.output}`);
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  /** kill -9, resolved once the process is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: graceful shutdown; resolved once the process has exited. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** The process's peak resident set size in bytes (VmHWM), while it is alive (Linux). */
  peakRssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    await exited;
  }
}
