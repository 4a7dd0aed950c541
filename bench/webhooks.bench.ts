/**
 * Outcome webhooks, through the built dispatcher to a real receiver on loopback that verifies every signature.
 * Throughput: `backlog` emails scheduled while no dispatcher runs (one message each, one endpoint), then a
 * dispatcher started: deliveries/s from the first arrival to the last (fan-out included), at the
 * default WEBHOOK_ENDPOINT_CONCURRENCY and with every slot open to the one endpoint. Baseline: the same signed
 * payloads posted straight to the receiver, 16 at a time, with no database. Lag: `rate` emails/s for
 * `seconds` s appended to the event store while a dispatcher runs; event recorded → arrival p50/p99/max.
 *
 *   npm run bench:webhooks -- [backlog=5000] [rate=200] [seconds=20]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PostgresEventStore, type StreamAppend } from '@app/event-store';
import { migrateSchema } from '@app/schema-migrations';
import {
  AppProcess,
  WebhookReceiver,
  buildApps,
  createTestDatabase,
  emailHistory,
  percentile,
  toStoredEvents,
  waitFor,
  type TestDatabase,
} from '@app/testing';
import { WEBHOOKS_MIGRATIONS, WEBHOOKS_SCHEMA, postWebhook, signedHeaders } from '@app/webhooks';
import { Pool } from 'pg';
import { describeMachine, markdownTable, recordResults } from './machine';
import { paced } from './paced';

const CONCURRENCY = 16;

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Emails of one scheduled event each (emailHistory's shape 0), all of tenant-a. */
function scheduledOnly(count: number): StreamAppend[] {
  return Array.from({ length: count }, (_, i) => {
    const emailId = randomUUID();
    return {
      streamName: `email-${emailId}`,
      events: toStoredEvents(emailHistory(emailId, 8 * i), 'tenant-a'),
      expectedRevision: 'no-stream' as const,
    };
  });
}

interface Setting {
  readonly database: TestDatabase;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
}

async function withEndpoint<T>(
  { pool }: Setting,
  work: (receiver: WebhookReceiver) => Promise<T>,
): Promise<T> {
  const secret = newSecret();
  const receiver = await WebhookReceiver.start(secret);
  await pool.query(
    `INSERT INTO webhooks.endpoints (id, tenant_id, url, event_types, secret)
     VALUES ($1, 'tenant-a', $2, '{*}', $3)`,
    [randomUUID(), receiver.url, secret],
  );
  try {
    return await work(receiver);
  } finally {
    await pool.query('DELETE FROM webhooks.endpoints');
    await receiver.stop();
  }
}

function dispatcher(setting: Setting, env: Record<string, string>): Promise<AppProcess> {
  return AppProcess.start(
    'dispatcher',
    {
      DATABASE_URL: setting.database.url,
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
      // A failed attempt (a timeout on a loaded machine) is retried within the run, not in a minute.
      WEBHOOK_RETRY_DELAYS: '100ms,200ms,500ms,1s,2s,5s',
      ...env,
    },
    { keepOutput: false },
  );
}

/** Distinct messages that arrived (the receiver answers 200 to all). */
function delivered(receiver: WebhookReceiver): number {
  return new Set(receiver.received.map((r) => r.webhookId)).size;
}

function invalid(receiver: WebhookReceiver): number {
  return receiver.received.filter((r) => !r.validSignature).length;
}

async function throughput(
  setting: Setting,
  backlog: number,
  env: Record<string, string>,
): Promise<number> {
  return withEndpoint(setting, async (receiver) => {
    for (let i = 0; i < backlog; i += 1_000) {
      await setting.store.appendMany(scheduledOnly(Math.min(1_000, backlog - i)));
    }
    const app = await dispatcher(setting, env);
    try {
      await waitFor('the backlog delivered', () => delivered(receiver) >= backlog, 600_000, 20);
      if (invalid(receiver) > 0) throw new Error(`${invalid(receiver)} invalid signatures`);
      // From the first arrival to the last: the process's boot is not counted, the fan-out is.
      const first = receiver.received[0]?.receivedAt ?? NaN;
      const last = receiver.received[receiver.received.length - 1]?.receivedAt ?? NaN;
      return Math.round((delivered(receiver) - 1) / ((last - first) / 1000));
    } finally {
      await app.stop();
    }
  });
}

async function baseline(count: number): Promise<number> {
  const secret = newSecret();
  const receiver = await WebhookReceiver.start(secret);
  try {
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          next += 1;
          const payload = JSON.stringify({ type: 'email.scheduled', id: `msg_${next}`, data: {} });
          const headers = signedHeaders([secret], `msg_${next}`, new Date(), payload);
          await postWebhook(receiver.url, headers, payload, {
            timeoutMs: 5_000,
            allowPrivateNetworks: true,
          });
        }
      }),
    );
    return Math.round(count / ((Date.now() - started) / 1000));
  } finally {
    await receiver.stop();
  }
}

async function steadyLag(
  setting: Setting,
  rate: number,
  seconds: number,
): Promise<{ emails: number; p50: number; p99: number; max: number }> {
  return withEndpoint(setting, async (receiver) => {
    const app = await dispatcher(setting, {});
    try {
      await paced(rate, seconds, async () => {
        await setting.store.appendMany(scheduledOnly(1));
      });
      const expected = rate * seconds;
      await waitFor('every email delivered', () => delivered(receiver) >= expected, 120_000, 20);
      if (invalid(receiver) > 0) throw new Error(`${invalid(receiver)} invalid signatures`);
      const lags = receiver.received.map(
        (r) => r.receivedAt - Date.parse((JSON.parse(r.body) as { timestamp: string }).timestamp),
      );
      return {
        emails: lags.length,
        p50: Math.round(percentile(lags, 50)),
        p99: Math.round(percentile(lags, 99)),
        max: Math.round(Math.max(...lags)),
      };
    } finally {
      await app.stop();
    }
  });
}

async function main(): Promise<void> {
  const backlog = Number(process.argv[2] ?? 5_000);
  const rate = Number(process.argv[3] ?? 200);
  const seconds = Number(process.argv[4] ?? 20);
  buildApps('dispatcher');
  const database = await createTestDatabase('bench_webhooks');
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const store = await PostgresEventStore.open({ connectionString: database.url });
  const setting = { database, pool, store };
  try {
    await migrateSchema(pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
    const bare = await baseline(backlog);
    const defaults = await throughput(setting, backlog, {});
    const open = await throughput(setting, backlog, {
      WEBHOOK_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
    });
    const lag = await steadyLag(setting, rate, seconds);
    const vs = (n: number): string => `${Math.round((n / bare) * 100)} %`;
    const table = markdownTable(
      ['variant', 'deliveries/s', 'vs baseline'],
      [
        [
          `baseline: signed POSTs straight to the receiver, ${CONCURRENCY} at a time`,
          bare,
          '100 %',
        ],
        [
          `dispatcher, one endpoint, WEBHOOK_ENDPOINT_CONCURRENCY 4 (default)`,
          defaults,
          vs(defaults),
        ],
        [`dispatcher, one endpoint, WEBHOOK_ENDPOINT_CONCURRENCY ${CONCURRENCY}`, open, vs(open)],
      ],
    );
    const lagLine =
      `Event recorded → delivered at ${rate} emails/s for ${seconds} s (one dispatcher, defaults): ` +
      `${lag.emails} deliveries, p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms.`;
    const setup = `backlog of ${backlog} emails, WEBHOOK_CONCURRENCY ${CONCURRENCY}`;
    const machine = await describeMachine(pool);
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${lagLine}\n`);
    await recordResults(`Webhook delivery, ${setup}`, machine, `${table}\n\n${lagLine}`);
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
