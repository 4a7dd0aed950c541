// End to end through the built processes: api + worker + mail-catcher on an isolated database and
// Redis db index, SMTP_URL unset (the embedded default). An email scheduled through the HTTP API
// goes out through the worker, is caught, and shows in GET /v1/admin/outbox with its Message-ID.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@app/testing';

const ROOT = join(__dirname, '..');
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const REDIS_DB = 11;
const ADMIN_API_KEY = 'esk_mail-catcher-e2e-admin-key-0123456789';
type App = 'mail-catcher' | 'api' | 'worker';

interface Started {
  readonly app: App;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function redisUrl(): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

function start(app: App, env: Record<string, string>): Started {
  const entry = join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { app, child, output: () => output, exited };
}

describe('an email through api, worker and mail catcher', () => {
  const running: Started[] = [];
  let database: TestDatabase;
  let redis: Redis;
  let api: string;

  const logs = (): string =>
    running.map((started) => `--- ${started.app}\n${started.output().slice(-4000)}`).join('\n');

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_mail');
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();

    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      ADMIN_API_KEY,
      MAIL_CATCHER_PORT: String(await freePort()),
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
    api = `http://127.0.0.1:${env.PORT}`;
    for (const [app, ready] of [
      ['mail-catcher', 'mail-catcher ready'],
      ['api', 'api ready on'],
      ['worker', 'worker ready'],
    ] as const) {
      const started = start(app, env);
      running.push(started);
      await waitFor(`${app} to be ready`, () => started.output().includes(ready), 60_000, 25).catch(
        (error: unknown) => {
          throw new Error(`${String(error)}\n${logs()}`);
        },
      );
    }
  }, 600_000);

  afterAll(async () => {
    for (const started of running) {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill('SIGKILL');
      }
    }
    await redis?.flushdb();
    redis?.disconnect();
    await database?.drop();
  });

  it('is caught with its Message-ID, listed in the outbox, and its history says sent', async () => {
    const scheduled = (await call('POST', '/v1/emails', {
      from: 'Ada <ada@example.com>',
      to: 'bob@example.com',
      subject: 'Hello from the e2e test',
      text: 'Hi Bob',
      sendAt: new Date(Date.now() + 1_000).toISOString(),
    })) as { id: string };
    const messageId = `<${scheduled.id}@example.com>`;

    interface Outbox {
      items: { id: string; messageId: string | null; subject: string | null; to: string[] }[];
    }
    let caught: Outbox['items'][number] | undefined;
    await waitFor(
      `${messageId} in GET /v1/admin/outbox`,
      async () => {
        const outbox = (await call('GET', '/v1/admin/outbox')) as Outbox;
        caught = outbox.items.find((item) => item.messageId === messageId);
        return caught !== undefined;
      },
      30_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${logs()}`);
    });
    expect(caught).toMatchObject({ subject: 'Hello from the e2e test', to: ['bob@example.com'] });
    const one = (await call('GET', `/v1/admin/outbox/${caught?.id}`)) as { raw: string };
    expect(one.raw).toContain('Hi Bob');

    // The worker appends EmailSent once the catcher has answered 250.
    let types: string[] = [];
    await waitFor(
      'EmailSent in the history',
      async () => {
        const history = (await call('GET', `/v1/emails/${scheduled.id}/history`)) as {
          events: { type: string }[];
        };
        types = history.events.map((event) => event.type);
        return types.includes('EmailSent');
      },
      10_000,
      100,
    );
    expect(types).toEqual(['EmailScheduled', 'EmailSendAttempted', 'EmailSent']);
  }, 60_000);

  it('sends an edited email as edited: Reply-To and each custom header exactly once, the metadata never', async () => {
    const scheduled = (await call('POST', '/v1/emails', {
      from: 'Ada <ada@example.com>',
      to: 'carol@example.com',
      subject: 'Before the edit',
      text: 'Hi Carol',
      sendAt: new Date(Date.now() + 2_000).toISOString(),
      replyTo: 'Support <support@example.com>',
      headers: { 'X-Campaign': 'spring', 'X-Dropped': 'yes' },
      metadata: { secret: 'never-in-the-message' },
    })) as { id: string };
    const edit = await fetch(`${api}/v1/emails/${scheduled.id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${ADMIN_API_KEY}`,
        'content-type': 'application/json',
        'if-match': '"0"',
      },
      body: JSON.stringify({
        subject: 'After the edit',
        headers: { 'X-Campaign': 'summer', 'List-Unsubscribe': '<mailto:stop@example.com>' },
      }),
    });
    expect(edit.status).toBe(200);
    const messageId = `<${scheduled.id}@example.com>`;
    let caughtId: string | undefined;
    await waitFor(
      `${messageId} in GET /v1/admin/outbox`,
      async () => {
        const outbox = (await call('GET', '/v1/admin/outbox')) as {
          items: { id: string; messageId: string | null }[];
        };
        caughtId = outbox.items.find((item) => item.messageId === messageId)?.id;
        return caughtId !== undefined;
      },
      30_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${logs()}`);
    });
    const { raw } = (await call('GET', `/v1/admin/outbox/${caughtId}`)) as { raw: string };
    const head = (raw.split(/\r?\n\r?\n/, 1)[0] ?? '').replace(/\r?\n[ \t]/g, ' ');
    const field = (name: string): string[] =>
      head
        .split(/\r?\n/)
        .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        .map((line) => line.slice(name.length + 1).trim());
    expect(field('Subject')).toEqual(['After the edit']);
    expect(field('Reply-To')).toEqual(['Support <support@example.com>']);
    expect(field('X-Campaign')).toEqual(['summer']);
    expect(field('List-Unsubscribe')).toEqual(['<mailto:stop@example.com>']);
    expect(field('X-Dropped')).toEqual([]);
    expect(raw).not.toContain('never-in-the-message');
  }, 60_000);

  it('sends what the pinned template version rendered, though a later version was published meanwhile', async () => {
    const template = (await call('POST', '/v1/templates', {
      name: 'reminder',
      subject: 'Reminder for {{ name }}',
      text: 'Your appointment is at {{ time }}.',
    })) as { id: string };
    await call('POST', `/v1/templates/${template.id}/versions/1/publish`);
    const scheduled = (await call('POST', '/v1/emails', {
      from: 'Ada <ada@example.com>',
      to: 'dan@example.com',
      sendAt: new Date(Date.now() + 2_000).toISOString(),
      template: { id: template.id, variables: { name: 'Dan', time: '10:00' } },
    })) as { id: string };
    await call('POST', `/v1/templates/${template.id}/versions`, {
      subject: 'CHANGED {{ name }}',
      text: 'changed',
    });
    await call('POST', `/v1/templates/${template.id}/versions/2/publish`);
    const messageId = `<${scheduled.id}@example.com>`;
    let caughtId: string | undefined;
    await waitFor(
      `${messageId} in GET /v1/admin/outbox`,
      async () => {
        const outbox = (await call('GET', '/v1/admin/outbox')) as {
          items: { id: string; messageId: string | null }[];
        };
        caughtId = outbox.items.find((item) => item.messageId === messageId)?.id;
        return caughtId !== undefined;
      },
      30_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${logs()}`);
    });
    const caught = (await call('GET', `/v1/admin/outbox/${caughtId}`)) as {
      subject: string | null;
      raw: string;
    };
    expect(caught.subject).toBe('Reminder for Dan');
    expect(caught.raw).toContain('Your appointment is at 10:00.');
    expect(caught.raw).not.toContain('changed');
  }, 60_000);

  it('mail-catcher exits 1 naming MAIL_CATCHER_PORT when it is not a port', async () => {
    const started = start('mail-catcher', {
      DATABASE_URL: database.url,
      MAIL_CATCHER_PORT: 'abc',
    });
    expect(await started.exited).toEqual({ code: 1, signal: null });
    expect(started.output()).toContain(
      'Invalid configuration: MAIL_CATCHER_PORT: expected an integer between 1 and 65535, got "abc"',
    );
  }, 30_000);

  it('stops every process with exit 0 on SIGTERM', async () => {
    // The worker first: it holds pooled connections to the catcher.
    for (const app of ['worker', 'api', 'mail-catcher'] as const) {
      const started = running.find((candidate) => candidate.app === app);
      started?.child.kill('SIGTERM');
      expect(await started?.exited).toEqual({ code: 0, signal: null });
    }
  }, 60_000);
});
