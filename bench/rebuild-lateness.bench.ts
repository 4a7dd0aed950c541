/**
 * Does a read-model rebuild hold back sending? The built api, projector and worker on a store seeded with N
 * emails (one read-model row each, all due in a year), once everything has caught up: `rate` emails/s, each
 * due 3 s after its `POST /v1/emails`, for `seconds` s without a rebuild (the baseline, same stack), then
 * again while `POST /v1/admin/projections/emails/rebuild` rebuilds all N + rows into a new generation.
 * Lateness (arrival at a real SMTP sink − sendAt) in both, and how long the rebuild took.
 *
 *   npm run bench:rebuild -- [emails=1000000] [rate=100] [seconds=30]
 */
import { randomUUID } from 'node:crypto';
import { buildApps, waitFor } from '@app/testing';
import { Pool } from 'pg';
import { describeMachine, markdownTable, recordResults } from './machine';
import { eventRow, insertEvents, scheduledAt } from './seed-events';
import { type Lateness, latenessRow, measureLateness, paced, scheduleDue } from './paced';
import { SinkProcess } from './sink-process';
import { BENCH_ADMIN_KEY, startStack, type Stack } from './stack';

const emails = Number(process.argv[2] ?? 1_000_000);
const rate = Number(process.argv[3] ?? 100);
const seconds = Number(process.argv[4] ?? 30);
const DUE_IN_MS = 3_000;
const YEAR_MS = 365 * 86_400_000;
const CHUNK = 20_000;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` };

interface ProjectionView {
  readonly state: 'live' | 'rebuilding';
  readonly lagEvents: number;
  readonly rebuild: { readonly progress: number } | null;
}

async function projection(stack: Stack): Promise<ProjectionView> {
  const response = await fetch(`${stack.apiUrl}/v1/admin/projections`, { headers });
  const { projections } = (await response.json()) as { projections: ProjectionView[] };
  const [emailsProjection] = projections;
  if (!emailsProjection) throw new Error('no projection');
  return emailsProjection;
}

/** `rate` emails a second for `seconds` s, each due DUE_IN_MS after it was scheduled; their lateness. */
async function steady(stack: Stack, sink: SinkProcess, tag: string): Promise<Lateness> {
  const due = new Map<string, number>();
  await paced(rate, seconds, async (n) => {
    const email = await scheduleDue(stack.apiUrl, tag, n, DUE_IN_MS);
    if (email === undefined) throw new Error('an email was refused');
    due.set(email.messageId, email.dueAt);
  });
  return measureLateness(sink, due);
}

async function main(): Promise<void> {
  buildApps('api', 'projector', 'worker');
  const sink = await SinkProcess.start();
  const stack = await startStack({ redisUrl, smtpUrl: sink.url });
  const pool = new Pool({ connectionString: stack.database.url, max: 2 });
  try {
    // The api creates the store's tables; then the seed, then the projector and the worker catch up.
    await stack.start('api', 'api');
    const farAhead = Date.now() + YEAR_MS;
    for (let n = 0; n < emails; n += CHUNK) {
      await insertEvents(
        pool,
        Array.from({ length: Math.min(CHUNK, emails - n) }, (_, i) => {
          const emailId = randomUUID();
          return eventRow(emailId, 0, scheduledAt(emailId, n + i, farAhead + n + i));
        }),
      );
    }
    await pool.query('VACUUM ANALYZE event_store.events');
    await stack.start('projector', 'projector');
    await stack.start('worker', 'worker');
    await waitFor(
      'the projector caught up',
      async () => (await projection(stack)).lagEvents === 0,
      1_800_000,
      500,
    );
    await waitFor(
      'the scheduler caught up',
      async () => {
        const { rows } = await pool.query<{ behind: boolean }>(
          `SELECT (SELECT position FROM scheduler.owner) IS DISTINCT FROM
                  (SELECT transaction_id::text || '/' || global_position FROM event_store.events
                    WHERE category = 'email'
                    ORDER BY transaction_id DESC, global_position DESC LIMIT 1) AS behind`,
        );
        return rows[0]?.behind === false;
      },
      1_800_000,
      500,
    );

    const quiet = await steady(stack, sink, 'quiet');
    const rebuildStarted = Date.now();
    const requested = await fetch(`${stack.apiUrl}/v1/admin/projections/emails/rebuild`, {
      method: 'POST',
      headers,
    });
    if (!requested.ok) throw new Error(`rebuild refused: ${requested.status}`);
    await waitFor(
      'the rebuild running',
      async () => (await projection(stack)).state === 'rebuilding',
      30_000,
      100,
    );
    const during = await steady(stack, sink, 'rebuild');
    const stillRebuilding = (await projection(stack)).state === 'rebuilding';
    await waitFor(
      'the rebuild swapped in',
      async () => (await projection(stack)).state === 'live',
      1_800_000,
      500,
    );
    const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;

    const row = (name: string, l: Lateness) => latenessRow(name, l, quiet, 2);
    const table = markdownTable(
      ['phase', 'emails', 'late p50 ms', 'late p99 ms', 'late max ms', 'p99 vs no rebuild'],
      [
        row('no rebuild (baseline, same stack)', quiet),
        row(`during the rebuild of ${emails.toLocaleString('en-US')}+ rows`, during),
      ],
    );
    const note =
      `The rebuild took ${rebuildSeconds.toFixed(1)} s from the request to the swap; ` +
      `${stillRebuilding ? 'it was still running when the measured sends ended' : 'it ended before the measured sends did'}.`;
    const setup = `${rate} emails/s for ${seconds} s, each due ${DUE_IN_MS / 1000} s after scheduling`;
    const machine = await describeMachine(pool);
    process.stdout.write(`\n${setup}, ${machine}\n\n${table}\n\n${note}\n`);
    await recordResults(
      `Sending during a read-model rebuild of ${emails} rows, ${setup}`,
      machine,
      `${table}\n\n${note}`,
    );
  } finally {
    await pool.end();
    await stack.stop();
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
