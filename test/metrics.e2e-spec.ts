// What an operator scrapes: the built worker and projector serving /metrics on METRICS_PORT, their
// gauges and counters moving with what really happens (an attempt left in doubt, a relay that is
// down and comes back), and docs/OPERATIONS.md listing exactly the metrics the apps export.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RELAY_CIRCUIT_POLICY, type EmailEvent } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import {
  AppProcess,
  createTestDatabase,
  freePort,
  SmtpSink,
  toStoredEvents,
  waitFor,
  type TestDatabase,
} from '@app/testing';
import { Redis } from 'ioredis';

const ROOT = join(__dirname, '..');
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const REDIS_DB = 15;
/** prom-client's process and Node.js metrics: documented as a family, not one by one. */
const DEFAULT_METRICS = /^(process_|nodejs_)/;

function redisUrl(): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

async function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, text: await response.text() };
}

/** The value of the sample `name{labels}` in the exposition text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}) {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [series = '', value] = line.split(/ (?=[^ ]+$)/);
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) {
      return Number(value);
    }
  }
  return undefined;
}

/** The metric families a scrape declares (`# TYPE <name> …`), without prom-client's defaults. */
function families(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) /gm)]
    .map((m) => m[1] ?? '')
    .filter((name) => !DEFAULT_METRICS.test(name));
}

/** The metric names docs/OPERATIONS.md's metric tables list: first cell, in backticks. */
function documentedMetrics(): string[] {
  const doc = readFileSync(join(ROOT, 'docs', 'OPERATIONS.md'), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith('Metrics')) ?? '';
  return [...section.matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1] ?? '');
}

/** An email due a minute ago whose attempt's lease ran out a second ago: in doubt. */
function inDoubtHistory(emailId: string): EmailEvent[] {
  const now = Date.now();
  const iso = (ms: number): string => new Date(ms).toISOString();
  return [
    {
      type: 'EmailScheduled',
      data: {
        emailId,
        tenantId: 'ops',
        from: { address: 'ops@example.com' },
        to: [{ address: 'on-call@example.com' }],
        cc: [],
        bcc: [],
        subject: 'In doubt',
        text: 'Hello',
        requestedSendAt: iso(now - 60_000),
        sendAt: iso(now - 60_000),
        maxAttempts: 5,
        tags: [],
        scheduledAt: iso(now - 120_000),
      },
    },
    {
      type: 'EmailSendAttempted',
      data: {
        attempt: 1,
        workerId: 'a-worker-that-died',
        jobId: `send-${emailId}-0`,
        claimedAt: iso(now - 61_000),
        leaseUntil: iso(now - 1_000),
      },
    },
  ];
}

describe('metrics of the worker and the projector', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let redis: Redis;
  let sink: SmtpSink;
  const running: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('metrics');
    store = await PostgresEventStore.open({ connectionString: database.url });
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    sink = await SmtpSink.start();
  }, 600_000);

  afterAll(async () => {
    for (const started of running) await started.stop();
    await sink?.stop();
    await redis?.flushdb();
    redis?.disconnect();
    await store?.close();
    await database?.drop();
  });

  it('follow an attempt in doubt and a relay outage, and the docs list exactly what they export', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl() };
    const projectorPort = await freePort();
    const start = async (app: 'api' | 'projector' | 'worker', appEnv: Record<string, string>) => {
      const started = await AppProcess.start(app, { ...env, ...appEnv });
      running.push(started);
      return started;
    };
    const projector = await start('projector', { METRICS_PORT: String(projectorPort) });
    const scrape = async (port: number, started: AppProcess): Promise<string> => {
      const reply = await get(port, '/metrics').catch((error: unknown) => {
        throw new Error(`${String(error)}\n${started.output}`);
      });
      expect(reply.status).toBe(200);
      return reply.text;
    };
    await waitFor(
      'the projector to be active',
      async () =>
        projector.output.includes('projector active') &&
        sample(await scrape(projectorPort, projector), 'projector_active') === 1,
      30_000,
      50,
    );

    // A worker died mid-send: the read model shows the email in doubt until someone resolves it.
    const emailId = randomUUID();
    await store.append(
      `email-${emailId}`,
      toStoredEvents(inDoubtHistory(emailId), 'ops'),
      'no-stream',
    );
    await waitFor(
      'the projector to count the email in doubt',
      async () => sample(await scrape(projectorPort, projector), 'emails_in_doubt') === 1,
      15_000,
      50,
    );
    const projectorText = await scrape(projectorPort, projector);
    expect(sample(projectorText, 'projection_lag_events', { projection: 'emails' })).toBe(0);
    expect(sample(projectorText, 'projection_rebuilding', { projection: 'emails' })).toBe(0);

    // A worker whose relay is down: the lease check resolves the attempt (resend), the resend
    // finds no relay, is retried a second later, and so on until that many failures in a row open
    // the circuit.
    await sink.down();
    const workerPort = await freePort();
    const worker = await start('worker', {
      METRICS_PORT: String(workerPort),
      SMTP_URL: sink.url,
      SENDER_RATE_LIMIT_PER_HOUR: '0',
    });
    await waitFor(
      'the circuit to open on the unreachable relay',
      async () => {
        const text = await scrape(workerPort, worker).catch(() => '');
        return sample(text, 'worker_relay_circuit_open') === 1;
      },
      30_000,
      50,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${worker.output}`);
    });
    // The circuit opens at the failure, before its EmailFailed is appended and turned into the
    // resend's job (and the attempt's lease check removed): wait for the scheduler to be through it.
    await waitFor(
      'the scheduler to plan the resend after the last failure',
      async () => {
        const events = await store.readStream(`email-${emailId}`);
        return (
          events[events.length - 1]?.type === 'EmailFailed' &&
          sample(await scrape(workerPort, worker), 'worker_scheduler_lag_events') === 0
        );
      },
      15_000,
      50,
    );
    let workerText = await scrape(workerPort, worker);
    expect(
      sample(workerText, 'worker_jobs_total', { job: 'lease-check', outcome: 'resolved' }),
    ).toBe(1);
    expect(sample(workerText, 'worker_jobs_total', { job: 'send', outcome: 'failed' })).toBe(
      DEFAULT_RELAY_CIRCUIT_POLICY.failureThreshold,
    );
    expect(sample(workerText, 'worker_scheduler_replays_total')).toBe(1); // an empty Redis
    // The failed resend waits, delayed, for the relay's next probe.
    expect(sample(workerText, 'worker_queue_jobs', { state: 'delayed' })).toBe(1);
    expect(sample(workerText, 'worker_queue_jobs', { state: 'failed' })).toBe(0);

    // The relay answers again: the circuit closes and the email goes out.
    await sink.up();
    await waitFor(
      'the email to be sent and the circuit to close',
      async () => {
        const text = await scrape(workerPort, worker);
        return (
          sample(text, 'worker_jobs_total', { job: 'send', outcome: 'sent' }) === 1 &&
          sample(text, 'worker_relay_circuit_open') === 0
        );
      },
      30_000,
      100,
    );
    expect(sink.accepted(`<${emailId}@example.com>`)).toHaveLength(1);
    workerText = await scrape(workerPort, worker);
    expect(sample(workerText, 'worker_scheduler_lag_events')).toBe(0);
    expect(sample(workerText, 'worker_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(sample(workerText, 'worker_queue_jobs', { state: 'active' })).toBe(0);
    await waitFor(
      'the read model to see the email sent',
      async () => sample(await scrape(projectorPort, projector), 'emails_in_doubt') === 0,
      15_000,
      50,
    );

    // The liveness answer container health checks use, and nothing else on the port.
    expect(await get(workerPort, '/health/live')).toEqual({ status: 200, text: '{"status":"ok"}' });
    expect((await get(projectorPort, '/nothing-here')).status).toBe(404);

    // docs/OPERATIONS.md lists exactly the metrics the four apps export.
    const apiPort = await freePort();
    const token = 'metrics-token-0123456789abcdef0123456789';
    const api = await start('api', { PORT: String(apiPort), METRICS_TOKEN: token });
    const apiText = (await get(apiPort, '/metrics', { authorization: `Bearer ${token}` })).text;
    await api.stop();
    const dispatcherPort = await freePort();
    const dispatcher = await AppProcess.start('dispatcher', {
      DATABASE_URL: database.url,
      METRICS_PORT: String(dispatcherPort),
    });
    running.push(dispatcher);
    const exported = new Set([
      ...families(apiText),
      ...families(workerText),
      ...families(await scrape(projectorPort, projector)),
      ...families(await scrape(dispatcherPort, dispatcher)),
    ]);
    expect([...new Set(documentedMetrics())].sort()).toEqual([...exported].sort());
  }, 180_000);
});
