/**
 * Batch scheduling with a template. `POST /v1/emails/batch` of `n` emails (requests of at most 1,000, one in
 * flight) rendering a published template per email — a subject, a text part and an html part with a loop
 * over five order lines, every variable escaped in the html — against the same batches with literal
 * subject, text and html (today's plain batch), alternating in the same run on the same api → emails/s and
 * the templated/plain ratio.
 *
 *   npm run bench:templates -- [n=10000] [rounds=3]
 */
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { appEntry, buildApps } from '@app/testing';
import { describeMachine, markdownTable, recordResults } from './machine';
import { BENCH_ADMIN_KEY, startStack } from './stack';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const BATCH = 1_000;

const headers = {
  authorization: `Bearer ${BENCH_ADMIN_KEY}`,
  'content-type': 'application/json',
};

const TEMPLATE = {
  name: 'bench receipt',
  subject: 'Order {{ order.id }} for {{ name }}',
  text: 'Hello {{ name }},\n{% for line in order.lines %}- {{ line.qty }} x {{ line.item }}: {{ line.price }}\n{% endfor %}Total {{ order.total }}',
  html: '<p>Hello {{ name }},</p><table>{% for line in order.lines %}<tr><td>{{ line.qty }}</td><td>{{ line.item }}</td><td>{{ line.price }}</td></tr>{% endfor %}</table><p>Total <b>{{ order.total }}</b></p>',
};

function variables(i: number): Record<string, unknown> {
  const lines = Array.from({ length: 5 }, (_, k) => ({
    qty: k + 1,
    item: `Widget <${k}> & co`,
    price: `${(k + 1) * 3}.50`,
  }));
  return { name: `Reader ${i}`, order: { id: `A-${i}`, total: '52.50', lines } };
}

/** The same email's content written out, as a client without templates would send it. */
function literal(i: number): Record<string, string> {
  const v = variables(i) as {
    name: string;
    order: { id: string; total: string; lines: { qty: number; item: string; price: string }[] };
  };
  const escape = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    subject: `Order ${v.order.id} for ${v.name}`,
    text: `Hello ${v.name},\n${v.order.lines.map((l) => `- ${l.qty} x ${l.item}: ${l.price}\n`).join('')}Total ${v.order.total}`,
    html: `<p>Hello ${v.name},</p><table>${v.order.lines.map((l) => `<tr><td>${l.qty}</td><td>${escape(l.item)}</td><td>${l.price}</td></tr>`).join('')}</table><p>Total <b>${v.order.total}</b></p>`,
  };
}

async function json<T>(response: Response, status: number, what: string): Promise<T> {
  const body = (await response.json()) as T;
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

async function publishedTemplate(apiUrl: string): Promise<string> {
  const { id } = await json<{ id: string }>(
    await fetch(`${apiUrl}/v1/templates`, {
      method: 'POST',
      headers,
      body: JSON.stringify(TEMPLATE),
    }),
    201,
    'POST /v1/templates',
  );
  await json(
    await fetch(`${apiUrl}/v1/templates/${id}/versions/1/publish`, { method: 'POST', headers }),
    200,
    'publish',
  );
  return id;
}

/** Seconds to schedule `n` emails made by `email`, in batches of BATCH. */
async function scheduleAll(
  apiUrl: string,
  n: number,
  email: (i: number) => Record<string, unknown>,
): Promise<number> {
  const sendAt = new Date(Date.now() + 86_400_000).toISOString();
  const started = process.hrtime.bigint();
  for (let from = 0; from < n; from += BATCH) {
    const emails = Array.from({ length: Math.min(BATCH, n - from) }, (_, k) => ({
      from: 'bench@example.com',
      to: [`rcpt${from + k}@example.net`],
      sendAt,
      ...email(from + k),
    }));
    const { results } = await json<{ results: { status: number }[] }>(
      await fetch(`${apiUrl}/v1/emails/batch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ emails }),
      }),
      200,
      'batch',
    );
    const refused = results.find((r) => r.status !== 201);
    if (refused) throw new Error(`a batch item answered ${JSON.stringify(refused)}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 3);
  // A smoke run reuses the build CI's tests just made; a measured run builds what it measures.
  if (process.env.BENCH_SMOKE !== '1' || !existsSync(appEntry('api'))) buildApps('api');
  const stack = await startStack({ redisUrl, smtpUrl: 'smtp://127.0.0.1:9' });
  const pool = new Pool({ connectionString: stack.database.url, max: 1 });
  try {
    await stack.start('api', 'api');
    const templateId = await publishedTemplate(stack.apiUrl);
    const plain = (i: number): Record<string, unknown> => literal(i);
    const templated = (i: number): Record<string, unknown> => ({
      template: { id: templateId, variables: variables(i) },
    });
    // Warm both paths (JIT, connection pool, the parsed-template cache) before measuring.
    await scheduleAll(stack.apiUrl, Math.min(n, BATCH), plain);
    await scheduleAll(stack.apiUrl, Math.min(n, BATCH), templated);
    let plainSeconds = 0;
    let templatedSeconds = 0;
    // Alternating, so drift over the run (a growing store, autovacuum) falls on both alike.
    for (let round = 0; round < rounds; round += 1) {
      plainSeconds += await scheduleAll(stack.apiUrl, n, plain);
      templatedSeconds += await scheduleAll(stack.apiUrl, n, templated);
    }
    const plainRate = Math.round((n * rounds) / plainSeconds);
    const templatedRate = Math.round((n * rounds) / templatedSeconds);
    const table = markdownTable(
      ['variant', 'emails', 'seconds', 'emails/s', 'vs plain'],
      [
        [
          'plain: literal subject, text, html',
          n * rounds,
          plainSeconds.toFixed(2),
          plainRate,
          '1.00×',
        ],
        [
          'templated: Liquid subject, text, html (5-line loop), pinned',
          n * rounds,
          templatedSeconds.toFixed(2),
          templatedRate,
          `${(templatedRate / plainRate).toFixed(2)}×`,
        ],
      ],
    );
    const rss = `api peak RSS: ${stack.peakRssMiB().api ?? '?'} MiB`;
    const machine = await describeMachine(pool);
    process.stdout.write(`\n${machine}\n\n${table}\n\n${rss}\n`);
    await recordResults(
      `Batch scheduling with a template, ${n} emails × ${rounds}`,
      machine,
      `${table}\n\n${rss}`,
    );
  } finally {
    await pool.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
