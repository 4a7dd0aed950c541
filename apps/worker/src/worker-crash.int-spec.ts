// kill -9 of a real worker process between the claim and the outcome: the lease runs out, the in-doubt
// attempt is resolved by the policy (resend) in history, and the email goes out again with the same
// Message-ID. The built app is spawned, so this is the process users run.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@app/testing';
import { messageIdOf, WorkerHarness } from './testing/worker-harness';

const ROOT = join(__dirname, '..', '..', '..');
const NEST_CLI = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const ENTRY = join(ROOT, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js');
const REDIS_URL = process.env.WORKER_CRASH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/8';
const LEASE_MS = 2_000;

describe('a worker killed mid-send', () => {
  let harness: WorkerHarness;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [NEST_CLI, 'build', 'worker'], { cwd: ROOT, stdio: 'pipe' });
    harness = await WorkerHarness.start(REDIS_URL, { WORKER_LEASE_MS: String(LEASE_MS) });
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await harness?.stop();
  });

  it('is resolved by the resend policy after the lease: sent once more, same Message-ID', async () => {
    harness.sink.answer('inflight@example.com', { hold: true });
    child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: String(harness.env.DATABASE_URL),
        REDIS_URL,
        SMTP_URL: harness.sink.url,
        WORKER_LEASE_MS: String(LEASE_MS),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      'the worker to be ready',
      () => output.includes('worker ready'),
      30_000,
      25,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output}`);
    });

    const id = await harness.schedule('inflight@example.com', Date.now());
    await waitFor('the send to be in flight', () => harness.sink.heldCount === 1, 10_000, 10);
    expect((await harness.state(id)).status).toBe('attempting');

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    // Another worker (in this process) takes over: its scheduler resumes from the Redis checkpoint.
    await harness.startWorker();
    await waitFor(
      'the resend',
      async () => (await harness.state(id)).status === 'sent',
      20_000,
      20,
    );
    console.log(
      `killed mid-send (lease ${LEASE_MS} ms): resent ${Date.now() - killedAt} ms after the kill`,
    );

    const history = await harness.history(id);
    expect(history.map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history[2]).toMatchObject({ data: { attempt: 1, resolution: 'resend' } });
    expect(history[4]).toMatchObject({ data: { attempt: 2, messageId: messageIdOf(id) } });
    // The killed attempt reached the sink but was never acknowledged; the resend was, with the same id.
    const received = harness.sink.received(messageIdOf(id));
    expect(received).toHaveLength(2);
    expect(harness.sink.accepted(messageIdOf(id))).toHaveLength(1);
  }, 60_000);
});
