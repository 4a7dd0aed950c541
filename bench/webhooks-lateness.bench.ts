/**
 * Do webhooks slow sending? The whole stack as users start it (api, projector, worker, dispatcher, each built)
 * at `rate` emails/s for `seconds` s, each due 5 s after it is scheduled, to a real SMTP sink: sending lateness
 * (arrival at the sink − sendAt) p50/p99/max with webhooks off (the dispatcher running, no endpoint) and on (an
 * endpoint of the bench's tenant subscribed to every event, on a loopback receiver that verifies each signature),
 * in the same run. For the run with webhooks on: event recorded → delivered p50/p99 over every message, and the
 * messages that arrived with a bad signature (must be 0).
 *
 *   npm run bench:webhooks-lateness -- [rate=200] [seconds=30]
 */
import { Pool } from 'pg';
import { WebhookReceiver, buildApps, createTestDatabase, percentile } from '@app/testing';
import { describeMachine, markdownTable, recordResults } from './machine';
import { type Lateness, latenessRow, measureLateness, paced, scheduleDue } from './paced';
import { SinkProcess } from './sink-process';
import { BENCH_ADMIN_KEY, startStack } from './stack';

const DUE_IN_MS = 5_000;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

interface Run {
  readonly lateness: Lateness;
  /** With webhooks on: event recorded → delivered, and the count of messages and of bad signatures. */
  readonly webhooks?: { messages: number; p50: number; p99: number; badSignatures: number };
}

async function run(sink: SinkProcess, rate: number, seconds: number, on: boolean): Promise<Run> {
  const stack = await startStack({
    redisUrl,
    smtpUrl: sink.url,
    env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
  });
  const receiver = await WebhookReceiver.start(SECRET);
  try {
    await stack.start('api', 'api');
    await stack.start('projector', 'projector');
    await stack.start('worker', 'worker');
    await stack.start('dispatcher', 'dispatcher');
    if (on) {
      const created = await fetch(`${stack.apiUrl}/v1/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
        body: JSON.stringify({ url: `${receiver.url}/hooks`, events: ['*'] }),
      });
      if (created.status !== 201) throw new Error(`POST /v1/webhooks: ${created.status}`);
      // The bench verifies with a secret of its own: the endpoint's is shown once, so put ours in its place.
      const pool = new Pool({ connectionString: stack.database.url, max: 1 });
      await pool.query('UPDATE webhooks.endpoints SET secret = $1', [SECRET]);
      await pool.end();
    }
    const due = new Map<string, number>();
    await paced(rate, seconds, async (n) => {
      const email = await scheduleDue(stack.apiUrl, on ? 'hooks-on' : 'hooks-off', n, DUE_IN_MS);
      if (email !== undefined) due.set(email.messageId, email.dueAt);
    });
    const lateness = await measureLateness(sink, due);
    if (!on) return { lateness };
    // Every email's email.scheduled and email.sent at least: wait until the receiver has them all.
    const deadline = Date.now() + 120_000;
    while (receiver.received.filter((r) => r.type === 'email.sent').length < due.size) {
      if (Date.now() > deadline)
        throw new Error('not every email.sent reached the receiver in 120 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const lags = receiver.received.map(
      (r) => r.receivedAt - Date.parse((JSON.parse(r.body) as { timestamp: string }).timestamp),
    );
    return {
      lateness,
      webhooks: {
        messages: receiver.received.length,
        p50: Math.round(percentile(lags, 50)),
        p99: Math.round(percentile(lags, 99)),
        badSignatures: receiver.received.filter((r) => !r.validSignature).length,
      },
    };
  } finally {
    await receiver.stop();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 30);
  buildApps('api', 'projector', 'worker', 'dispatcher');
  const sink = await SinkProcess.start();
  const machineDatabase = await createTestDatabase('bench_machine');
  const machinePool = new Pool({ connectionString: machineDatabase.url, max: 1 });
  try {
    const off = await run(sink, rate, seconds, false);
    const on = await run(sink, rate, seconds, true);
    const table = markdownTable(
      ['variant', 'emails', 'late p50 ms', 'late p99 ms', 'late max ms', 'p99 vs off'],
      [
        latenessRow(
          'webhooks off (dispatcher running, no endpoint)',
          off.lateness,
          off.lateness,
          2,
        ),
        latenessRow('webhooks on (one endpoint, every event)', on.lateness, off.lateness, 2),
      ],
    );
    const hooks = on.webhooks;
    const lagLine = hooks
      ? `Webhooks on: ${hooks.messages} messages delivered, event recorded → delivered p50 ${hooks.p50} ms, ` +
        `p99 ${hooks.p99} ms; bad signatures: ${hooks.badSignatures}.`
      : '';
    const setup = `${rate} emails/s for ${seconds} s, each due ${DUE_IN_MS / 1000} s after scheduling`;
    const machine = await describeMachine(machinePool);
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${lagLine}\n`);
    await recordResults(
      `Sending with webhooks off and on, ${setup}`,
      machine,
      `${table}\n\n${lagLine}`,
    );
  } finally {
    await machinePool.end();
    await machineDatabase.drop();
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
