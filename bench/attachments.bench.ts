/**
 * Attachments. Scheduling through `POST /v1/emails/batch` (100 emails a request, 4 requests in flight) of
 * `n` plain emails, then `n` each with its own 100 kB attachment, same run, same api → emails/s and the
 * ratio. Then what Postgres holds per stored attachment (pg_total_relation_size of the `attachments`
 * tables' growth / n): for those `n` distinct files, and for `n` more emails that all share one file.
 *
 *   npm run bench:attachments -- [n=1000]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { appEntry, buildApps } from '@app/testing';
import { describeMachine, markdownTable, recordResults } from './machine';
import { BENCH_ADMIN_KEY, startStack } from './stack';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const PER_REQUEST = 100;
const IN_FLIGHT = 4;
const FILE_BYTES = 100 * 1024;

const auth = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };

/** The i-th email; with `file`, one attachment of those bytes. */
function email(i: number, file?: Buffer): Record<string, unknown> {
  return {
    from: 'bench@example.com',
    to: `rcpt${i}@example.net`,
    subject: `Bench ${i}`,
    text: 'Hello',
    sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...(file === undefined
      ? {}
      : { attachments: [{ filename: `statement-${i}.pdf`, content: file.toString('base64') }] }),
  };
}

/** Seconds to schedule `n` emails made by `make`, PER_REQUEST to a batch, IN_FLIGHT batches at once. */
async function scheduleAll(
  apiUrl: string,
  n: number,
  make: (i: number) => Record<string, unknown>,
): Promise<number> {
  const bodies: string[] = [];
  for (let first = 0; first < n; first += PER_REQUEST) {
    const emails = Array.from({ length: Math.min(PER_REQUEST, n - first) }, (_, k) =>
      make(first + k),
    );
    bodies.push(JSON.stringify({ emails }));
  }
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${apiUrl}/v1/emails/batch`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.json()) as { results?: { status: number }[] };
        const refused = answer.results?.filter((r) => r.status !== 201).length;
        if (response.status !== 200 || refused !== 0)
          throw new Error(
            `batch answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`,
          );
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function attachmentBytes(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT sum(pg_total_relation_size(format('attachments.%I', tablename)))::bigint AS bytes
     FROM pg_tables WHERE schemaname = 'attachments' AND tablename <> 'schema_migrations'`,
  );
  return Number(rows[0]?.bytes ?? 0);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000);
  // A smoke run reuses the build CI's tests just made; a measured run builds what it measures.
  if (process.env.BENCH_SMOKE !== '1' || !existsSync(appEntry('api'))) buildApps('api');
  const stack = await startStack({ redisUrl, smtpUrl: 'smtp://127.0.0.1:9' });
  const pool = new Pool({ connectionString: stack.database.url, max: 1 });
  try {
    await stack.start('api', 'api');
    const plainSeconds = await scheduleAll(stack.apiUrl, n, (i) => email(i));
    const before = await attachmentBytes(pool);
    const withSeconds = await scheduleAll(stack.apiUrl, n, (i) =>
      email(i, randomBytes(FILE_BYTES)),
    );
    const distinct = (await attachmentBytes(pool)) - before;
    const shared = randomBytes(FILE_BYTES);
    const beforeShared = await attachmentBytes(pool);
    await scheduleAll(stack.apiUrl, n, (i) => email(i, shared));
    const sharedGrowth = (await attachmentBytes(pool)) - beforeShared;

    const plainRate = n / plainSeconds;
    const withRate = n / withSeconds;
    const kB = (bytes: number): string => (bytes / 1024).toFixed(1);
    const speed = markdownTable(
      ['variant', 'seconds', 'emails/s', 'vs plain'],
      [
        [
          `plain: ${n} emails, POST /v1/emails/batch`,
          plainSeconds.toFixed(2),
          Math.round(plainRate),
          '1.00×',
        ],
        [
          `${n} emails, each with its own 100 kB attachment`,
          withSeconds.toFixed(2),
          Math.round(withRate),
          `${(withRate / plainRate).toFixed(2)}×`,
        ],
      ],
    );
    const storage = markdownTable(
      ['attachments', 'Postgres growth', 'per email'],
      [
        [`${n} distinct 100 kB files`, `${kB(distinct)} kB`, `${kB(distinct / n)} kB`],
        [
          `${n} emails sharing one 100 kB file`,
          `${kB(sharedGrowth)} kB`,
          `${kB(sharedGrowth / n)} kB`,
        ],
      ],
    );
    const rss = `api peak RSS: ${stack.peakRssMiB().api ?? '?'} MiB`;
    const machine = await describeMachine(pool);
    const text = `${speed}\n\n${storage}\n\n${rss}`;
    process.stdout.write(`\n${machine}\n\n${text}\n`);
    await recordResults(`Attachments, ${n} emails`, machine, text);
  } finally {
    await pool.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
