/**
 * Batch cancel. A CSV import of `n` emails (one batch), due in a day, then `POST /v1/batches/:id/cancel`:
 * every email loaded, decided and appended at its revision, `ACTION_CONCURRENCY` in flight → emails/s.
 * Baseline, same run, same api: another import of `n`, cancelled the way a client without batch actions
 * would, one `DELETE /v1/emails/:id` per email, 16 requests in flight on keep-alive connections.
 *
 *   npm run bench:batch -- [n=10000]
 */
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { appEntry, buildApps } from '@app/testing';
import { describeMachine, markdownTable, recordResults } from './machine';
import { BENCH_ADMIN_KEY, startStack } from './stack';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const DELETE_CONCURRENCY = 16;

const auth = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };

/** One batch of `n` emails through POST /v1/emails/import; its id and its emails' ids. */
async function importBatch(apiUrl: string, n: number): Promise<{ batchId: string; ids: string[] }> {
  const sendAt = new Date(Date.now() + 86_400_000).toISOString();
  const rows = Array.from(
    { length: n },
    (_, i) => `rcpt${i}@example.net,Bench ${i},Hello,${sendAt}`,
  );
  const form = new FormData();
  form.append('from', 'bench@example.com');
  form.append(
    'file',
    new Blob([['to,subject,text,sendAt', ...rows].join('\n')], { type: 'text/csv' }),
    'bench.csv',
  );
  const response = await fetch(`${apiUrl}/v1/emails/import`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  const body = (await response.json()) as {
    batchId: string;
    accepted: number;
    ids: { id: string }[];
  };
  if (response.status !== 200 || body.accepted !== n) {
    throw new Error(`import answered ${response.status} with ${body.accepted} accepted`);
  }
  return { batchId: body.batchId, ids: body.ids.map((r) => r.id) };
}

/** Seconds `run` took. */
async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function batchCancel(apiUrl: string, batchId: string, n: number): Promise<void> {
  const response = await fetch(`${apiUrl}/v1/batches/${batchId}/cancel`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await response.json()) as { done: number };
  if (response.status !== 200 || body.done !== n) {
    throw new Error(`batch cancel answered ${response.status} with ${body.done} done`);
  }
}

async function singleDeletes(apiUrl: string, ids: readonly string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: DELETE_CONCURRENCY }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const response = await fetch(`${apiUrl}/v1/emails/${id}`, {
          method: 'DELETE',
          headers: auth,
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`DELETE answered ${response.status}`);
      }
    }),
  );
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  // A smoke run reuses the build CI's tests just made; a measured run builds what it measures.
  if (process.env.BENCH_SMOKE !== '1' || !existsSync(appEntry('api'))) buildApps('api');
  const stack = await startStack({ redisUrl, smtpUrl: 'smtp://127.0.0.1:9' });
  const pool = new Pool({ connectionString: stack.database.url, max: 1 });
  try {
    await stack.start('api', 'api');
    const ours = await importBatch(stack.apiUrl, n);
    const baseline = await importBatch(stack.apiUrl, n);
    const baseSeconds = await timed(() => singleDeletes(stack.apiUrl, baseline.ids));
    const oursSeconds = await timed(() => batchCancel(stack.apiUrl, ours.batchId, n));
    const baseRate = Math.round(n / baseSeconds);
    const oursRate = Math.round(n / oursSeconds);
    const table = markdownTable(
      ['variant', 'seconds', 'emails/s', 'vs baseline'],
      [
        [
          `baseline: ${n} single DELETE /v1/emails/:id, ${DELETE_CONCURRENCY} in flight`,
          baseSeconds.toFixed(2),
          baseRate,
          '1.0×',
        ],
        [
          'ours: POST /v1/batches/:id/cancel (one request)',
          oursSeconds.toFixed(2),
          oursRate,
          `${(oursRate / baseRate).toFixed(1)}×`,
        ],
      ],
    );
    const rss = `api peak RSS: ${stack.peakRssMiB().api ?? '?'} MiB`;
    const machine = await describeMachine(pool);
    process.stdout.write(`\n${machine}\n\n${table}\n\n${rss}\n`);
    await recordResults(`Batch cancel, ${n} emails`, machine, `${table}\n\n${rss}`);
  } finally {
    await pool.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
