// Process-level checks of the built apps: exit codes, stderr, readiness line, SIGTERM.
// jest's global setup builds them (test/build-apps.global-setup.ts), so no test runs a stale dist/.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, waitFor as sharedWaitFor, type TestDatabase } from '@app/testing';

const ROOT = join(__dirname, '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const APPS = ['api', 'worker', 'projector'] as const;
type App = (typeof APPS)[number];

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Started {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<Exit>;
}

/** Runs a built app with exactly `env` (plus PATH), capturing its output. */
function start(app: App, env: Record<string, string>): Started {
  const entry = join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** A loopback port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  return port;
}

/** Resolves when `condition` holds; fails with `description` and `context()` after `timeoutMs`. */
async function waitFor(
  description: string,
  condition: () => boolean,
  timeoutMs: number,
  context: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}\n${context()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The exit, or a failure once `timeoutMs` has passed (the child is then killed). */
async function exitWithin(started: Started, timeoutMs: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      started.child.kill('SIGKILL');
      reject(new Error(`did not exit within ${timeoutMs} ms\n${started.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([started.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('booting the built apps', () => {
  const running: Started[] = [];
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('boot');
  }, 600_000);

  afterAll(async () => {
    await database.drop();
  });

  afterEach(() => {
    for (const started of running.splice(0)) {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill('SIGKILL');
      }
    }
  });

  it.each(APPS)('%s exits 1 naming PORT when PORT=abc', async (app) => {
    const started = start(app, { PORT: 'abc', DATABASE_URL: database.url, REDIS_URL });
    running.push(started);
    const exit = await exitWithin(started, 15_000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(started.stderr()).toContain(
      'Invalid configuration: PORT: expected an integer between 1 and 65535, got "abc"',
    );
    expect(started.stderr()).not.toMatch(/^\s+at /m);
  });

  it('names every bad variable at once', async () => {
    const started = start('worker', { WORKER_CONCURRENCY: '0', EVENTSTORE_URL: 'http://x' });
    running.push(started);
    expect(await exitWithin(started, 15_000)).toEqual({ code: 1, signal: null });
    expect(started.stderr()).toMatch(/EVENTSTORE_URL: .*WORKER_CONCURRENCY: /);
  });

  it.each<[App, string]>([
    ['worker', 'worker ready'],
    ['projector', 'projector ready'],
    ['api', 'api ready on http://127.0.0.1:'],
  ])('%s logs ready, then exits 0 on SIGTERM', async (app, readyLine) => {
    const PORT = String(await freePort());
    const started = start(app, { PORT, DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'info' });
    running.push(started);
    await waitFor(
      `"${readyLine}" on stdout`,
      () => started.stdout().includes(readyLine),
      30_000,
      () => [started.stdout(), started.stderr()].join('\n'),
    );
    started.child.kill('SIGTERM');
    expect(await exitWithin(started, 10_000)).toEqual({ code: 0, signal: null });
  });

  it('api listens on loopback unless HOST says otherwise', async () => {
    // One of this machine's addresses that is not loopback: the api must not answer on it.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((nic) => nic !== undefined && nic.family === 'IPv4' && !nic.internal)?.address;
    const PORT = String(await freePort());
    const started = start('api', {
      PORT,
      DATABASE_URL: database.url,
      REDIS_URL,
      LOG_LEVEL: 'info',
    });
    running.push(started);
    await waitFor('the api to be ready', () => started.stdout().includes('api ready'), 30_000);
    const answers = (host: string): Promise<boolean> =>
      fetch(`http://${host}:${PORT}/health/live`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.ok,
        () => false,
      );
    expect(await answers('127.0.0.1')).toBe(true);
    if (outside !== undefined) expect(await answers(outside)).toBe(false);
    started.child.kill('SIGTERM');
    expect(await exitWithin(started, 10_000)).toEqual({ code: 0, signal: null });
  });

  it('api finishes an in-flight request on SIGTERM before it exits 0', async () => {
    const ADMIN_API_KEY = 'esk_boot-e2e-admin-key-0123456789abcdef';
    const PORT = String(await freePort());
    const started = start('api', {
      PORT,
      DATABASE_URL: database.url,
      REDIS_URL,
      ADMIN_API_KEY,
      LOG_LEVEL: 'info',
    });
    running.push(started);
    await waitFor('the api to be ready', () => started.stdout().includes('api ready'), 30_000);

    // A CSV import of a few thousand rows takes seconds: long enough to be cut short.
    const rows = 3_000;
    const csv = ['to,subject,text'];
    for (let i = 0; i < rows; i += 1) csv.push(`r${i}@example.com,Hello ${i},Body ${i}`);
    const form = new FormData();
    form.append('from', 'ada@example.com');
    form.append('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'emails.csv');
    const reply = fetch(`http://127.0.0.1:${PORT}/v1/emails/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}` },
      body: form,
    });

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const imported = async (): Promise<number> =>
        Number(
          (await client.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events'))
            .rows[0]?.n,
        );
      const before = await imported();
      await sharedWaitFor(
        'the import to be under way',
        async () => (await imported()) > before,
        15_000,
      );
      started.child.kill('SIGTERM');

      const response = await reply;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accepted: rows, rejected: 0 });
      expect(await exitWithin(started, 30_000)).toEqual({ code: 0, signal: null });
      expect((await imported()) - before).toBe(rows);
    } finally {
      await client.end();
    }
  }, 120_000);
});
