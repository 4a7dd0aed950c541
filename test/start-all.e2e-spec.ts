// `npm start` as a new user meets it (after its build, which jest's global setup has done): every
// process up, a welcome listing where things are, and the curl it prints, pasted into a shell as
// it stands, schedules an email that the worker then delivers to the mail catcher.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@app/testing';
import { Redis } from 'ioredis';

const ROOT = join(__dirname, '..');
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const REDIS_DB = 15;
const ADMIN_API_KEY = 'start-all-test-admin-key-0123456789abcdef';

function redisUrl(): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

const execFileAsync = promisify(execFile);

describe('npm start', () => {
  let database: TestDatabase;
  let redis: Redis;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    database = await createTestDatabase('start_all');
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();
  }, 600_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await redis?.flushdb();
    redis?.disconnect();
    await database?.drop();
  });

  it('starts everything, says where it is, and its first-email curl works as printed', async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      MAIL_CATCHER_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      ADMIN_API_KEY,
      LOG_LEVEL: 'info',
    };
    const started = spawn(process.execPath, ['scripts/start-all.mjs'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
    await waitFor(
      'the welcome',
      () => output.includes('Everything is running.') || started.exitCode !== null,
      60_000,
      50,
    );
    expect(started.exitCode).toBeNull();
    for (const app of ['api', 'projector', 'worker', 'dispatcher', 'mail-catcher']) {
      expect(output).toMatch(new RegExp(`^${app} +\\| .*${app} ready`, 'm'));
    }

    // Every address it prints answers.
    const api = `http://127.0.0.1:${port}`;
    const welcome = output.slice(output.indexOf('Everything is running.'));
    expect(welcome).toContain(`API             ${api}\n`);
    expect(welcome).toContain(`API docs        ${api}/docs\n`);
    expect(welcome).toContain(`dashboard       ${api}/\n`);
    expect(welcome).toContain('admin API key   the ADMIN_API_KEY you set');
    const metrics = [...welcome.matchAll(/http:\/\/127\.0\.0\.1:\d+\/metrics/g)].map((m) => m[0]);
    // the worker's, the projector's and the dispatcher's: no METRICS_TOKEN here
    expect(metrics).toHaveLength(3);
    for (const url of [`${api}/health/ready`, `${api}/docs`, ...metrics]) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
    }

    // The curl lines, pasted into a shell as printed.
    const lines = welcome.split('\n');
    const first = lines.findIndex((line) => line.includes('curl -s -X POST'));
    const schedule = `${lines[first] ?? ''}\n${lines[first + 1] ?? ''}`;
    const outbox = lines.find((line) => line.includes('/v1/admin/outbox')) ?? '';
    const shell = (command: string): Promise<string> =>
      execFileAsync('bash', ['-c', command], {
        cwd: ROOT,
        env: { PATH: env.PATH, ADMIN_API_KEY },
        timeout: 15_000,
      }).then(({ stdout }) => stdout);
    const scheduled = JSON.parse(await shell(schedule)) as { id: string; status: string };
    expect(scheduled.status).toBe('scheduled');
    await waitFor(
      'the first email to reach the mail catcher',
      async () => {
        const caught = JSON.parse(await shell(outbox)) as { items: { messageId: string }[] };
        return caught.items.some((item) => item.messageId === `<${scheduled.id}@example.com>`);
      },
      30_000,
      200,
    );

    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const app of ['api', 'projector', 'worker', 'dispatcher', 'mail-catcher']) {
      expect(output).toMatch(new RegExp(`^${app} +\\| exited \\((0|SIGTERM)\\)`, 'm'));
    }
  }, 120_000);
});
