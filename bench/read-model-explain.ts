/**
 * The admin list's query plans at scale: seeds N rows (default 1,000,000) straight into a fresh
 * read-model generation with one `INSERT ... SELECT generate_series`, indexes it, swaps it in, and
 * for each filter `GET /v1/admin/emails` can issue (the api's own SQL builder, first page and a
 * deep cursor page) checks with EXPLAIN that no node reads `emails` with a Seq Scan, then times
 * it with EXPLAIN ANALYZE. Exits non-zero if any filter plans a Seq Scan. Runs in a database of
 * its own, dropped afterwards; appends the table to bench/RESULTS.md.
 *
 *   npm run bench:explain -- [rows=1000000] [no-record]
 */
import { createHash } from 'node:crypto';
import {
  READ_MODEL_VIEWS,
  createGeneration,
  createGenerationIndexes,
  generationSchema,
  migrateReadModel,
} from '@app/read-model';
import { createTestDatabase } from '@app/testing';
import { Pool } from 'pg';
import { decodeCursor, encodeCursor } from '@app/read-model';
import { listEmailsSql, type EmailFilter } from '@app/read-model';
import { describeMachine, markdownTable, recordResults } from './machine';

const rows = Number(process.argv[2] ?? 1_000_000);
/** `no-record`: print only, leave bench/RESULTS.md alone (a trial run). */
const record = process.argv[3] !== 'no-record';
/** What the api asks for: a default page of 50, plus one to know whether there is a next page. */
const PAGE = 51;

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly Plans?: PlanNode[];
}

/** Every status, sender, recipient, tag and tenant in proportions that make selective and broad filters. */
function seedSql(schema: string): string {
  return `
    INSERT INTO ${schema}.emails
    SELECT gen_random_uuid(),
           'tenant-' || (i % 20),
           s.status,
           'sender' || (i % 500) || '@example.com',
           NULL,
           jsonb_build_object('to', jsonb_build_array(jsonb_build_object('address', 'user' || (i % 100000) || '@example.com')),
                              'cc', '[]'::jsonb, 'bcc', '[]'::jsonb),
           ARRAY['user' || (i % 100000) || '@example.com'],
           'Subject ' || i,
           CASE WHEN i % 10 = 0 THEN ARRAY['news', 'batch-' || (i % 500)]
                WHEN i % 10 = 1 THEN ARRAY['billing'] ELSE '{}'::text[] END,
           t.send_at, t.send_at,
           CASE WHEN s.status = 'scheduled' THEN t.send_at END,
           3,
           CASE WHEN s.status = 'scheduled' THEN 0 ELSE 1 END,
           CASE WHEN s.status = 'failed' THEN '{"kind":"permanent","code":550}'::jsonb END,
           CASE WHEN s.status = 'sent' THEN t.send_at + (i % 600) * interval '1 second' END,
           CASE WHEN s.status = 'sent' THEN '<' || i || '@mx>' END,
           CASE WHEN s.status = 'sent' THEN (i % 600) * 1000 END,
           CASE WHEN s.status = 'cancelled' THEN t.send_at - interval '1 hour' END,
           CASE WHEN s.status = 'failed' THEN t.send_at + interval '2 seconds' END,
           1, i || '/' || i, now(), now(), '{}'::jsonb, octet_length('Subject ' || i) + 200,
           -- 2 % in batches of ~1,000 (one per 50,000 rows), 1 % occurrences of 20 schedules.
           CASE WHEN i % 100 < 2 THEN md5('batch-' || (i / 50000))::uuid END,
           CASE WHEN i % 100 = 2 THEN md5('schedule-' || (i % 20))::uuid END,
           CASE WHEN i % 100 = 2 THEN t.send_at END,
           CASE WHEN i % 10 = 3 THEN 'Europe/Paris' END, NULL, NULL,
           CASE WHEN i % 10 = 4 THEN t.send_at + interval '1 day' END,
           CASE WHEN s.status = 'paused' THEN t.send_at - interval '1 hour' END,
           CASE WHEN s.status = 'expired' THEN t.send_at + interval '1 day' END,
           CASE WHEN s.status = 'expired' THEN 'deadline-passed' END,
           NULL, NULL,
           -- 10 % with metadata: a customer shared by ~10 rows, a plan by half of them.
           CASE WHEN i % 10 = 5 THEN jsonb_build_object('customer', 'c' || (i % 100000),
                                                        'plan', CASE WHEN i % 20 = 5 THEN 'gold' ELSE 'free' END) END
      FROM generate_series(1, $1::int) AS i,
           LATERAL (SELECT CASE WHEN i % 100 < 60 THEN 'sent'
                                WHEN i % 100 < 86 THEN 'scheduled'
                                WHEN i % 100 < 92 THEN 'cancelled'
                                WHEN i % 100 < 95 THEN 'failed'
                                WHEN i % 100 < 96 THEN 'paused'
                                WHEN i % 100 < 97 THEN 'expired'
                                ELSE 'attempting' END AS status) AS s,
           LATERAL (SELECT timestamptz '2030-01-01T00:00:00Z' + i * interval '31 seconds'
                           + (i % 997) * interval '1 microsecond' AS send_at) AS t`;
}

async function seed(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const generation = await createGeneration(client, { indexes: false });
    const schema = generationSchema(generation);
    await client.query(seedSql(schema), [rows]);
    await createGenerationIndexes(client, generation);
    const { rows: live } = await client.query<{ g: string }>(
      `UPDATE read_model.projections p SET active_generation = $1
         FROM (SELECT active_generation AS g FROM read_model.projections WHERE name = 'emails') old
        WHERE p.name = 'emails' RETURNING old.g`,
      [generation],
    );
    // As the rebuild's swap does: the views now read the seeded generation.
    await client.query(
      `CREATE OR REPLACE VIEW ${READ_MODEL_VIEWS.emails} AS SELECT * FROM ${schema}.emails`,
    );
    await client.query(
      `CREATE OR REPLACE VIEW ${READ_MODEL_VIEWS.senderHourlySends} AS SELECT * FROM ${schema}.sender_hourly_sends`,
    );
    await client.query(`DROP SCHEMA ${generationSchema(live[0]?.g ?? '0')} CASCADE`);
    await client.query('COMMIT');
    await client.query(`VACUUM ANALYZE ${schema}.emails`);
    return generation;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/** The scans of a plan, innermost detail first: `Index Scan emails_status`, `Bitmap Index Scan emails_tags`. */
function scans(plan: PlanNode): { text: string; seqScan: boolean } {
  const found: string[] = [];
  let seqScan = false;
  walk(plan, (node) => {
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'emails') seqScan = true;
    if (/Scan/.test(node['Node Type'])) {
      found.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`);
    }
  });
  return { text: [...new Set(found)].join(' + '), seqScan };
}

async function explain(
  pool: Pool,
  sql: { text: string; values: unknown[] },
  analyze: boolean,
): Promise<{ plan: PlanNode; executionMs: number }> {
  const options = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
  const { rows: out } = await pool.query<{
    'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time'?: number }];
  }>(`EXPLAIN (${options}) ${sql.text}`, sql.values);
  const result = out[0]?.['QUERY PLAN'][0];
  if (!result) throw new Error('EXPLAIN returned nothing');
  return { plan: result.Plan, executionMs: result['Execution Time'] ?? 0 };
}

/** The cursor after the page at `offset` rows of the filter: a deep page, as a client paging would reach. */
async function cursorAt(
  pool: Pool,
  filter: EmailFilter,
  offset: number,
): Promise<string | undefined> {
  const { text, values } = listEmailsSql(filter, undefined, offset);
  const { rows: page } = await pool.query<{ email_id: string; cursor_send_at: string }>(
    text,
    values,
  );
  const last = page[page.length - 1];
  return last && page.length === offset
    ? encodeCursor({ sendAt: last.cursor_send_at, id: last.email_id })
    : undefined;
}

/** The seed's first batch and one schedule: md5('batch-0'), md5('schedule-2') as uuids. */
const BATCH_ID = uuidOfMd5('batch-0');
const SCHEDULE_ID = uuidOfMd5('schedule-2');

function uuidOfMd5(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FILTERS: [string, EmailFilter][] = [
  ['(none)', {}],
  ['status=failed (3 %)', { status: 'failed' }],
  ['status=sent (60 %)', { status: 'sent' }],
  ['status=paused (1 %)', { status: 'paused' }],
  ['from=sender7@example.com (0.2 %)', { from: 'sender7@example.com' }],
  ['to=user42@example.com (10 rows)', { to: 'user42@example.com' }],
  ['tag=billing (10 %)', { tag: 'billing' }],
  ['tag=batch-10 (0.2 %)', { tag: 'batch-10' }],
  ['sendAfter (last quarter)', { sendAfter: '2030-10-01T00:00:00.000Z' }],
  ['sendBefore (first week)', { sendBefore: '2030-01-08T00:00:00.000Z' }],
  [
    'sendAfter+sendBefore (one day)',
    { sendAfter: '2030-06-01T00:00:00.000Z', sendBefore: '2030-06-02T00:00:00.000Z' },
  ],
  ['batchId (one batch, ~1,000 rows)', { batchId: BATCH_ID }],
  ['tenant+batchId', { tenant: 'tenant-0', batchId: BATCH_ID }],
  ['scheduleId (one schedule, 0.05 %)', { scheduleId: SCHEDULE_ID }],
  ['tenant=tenant-3 (5 %)', { tenant: 'tenant-3' }],
  ['tenant+status=failed', { tenant: 'tenant-15', status: 'failed' }],
  ['tenant+from', { tenant: 'tenant-3', from: 'sender3@example.com' }],
  ['tenant+to', { tenant: 'tenant-2', to: 'user42@example.com' }],
  ['tenant+tag=batch-10', { tenant: 'tenant-10', tag: 'batch-10' }],
  ['metadata customer=c45 (10 rows)', { metadata: { customer: 'c45' } }],
  ['metadata plan=gold (5 %)', { metadata: { plan: 'gold' } }],
  [
    'tenant+metadata customer+plan',
    { tenant: 'tenant-5', metadata: { customer: 'c45', plan: 'gold' } },
  ],
  [
    'status=scheduled+from+window',
    {
      status: 'scheduled',
      from: 'sender70@example.com',
      sendAfter: '2030-03-01T00:00:00.000Z',
      sendBefore: '2030-09-01T00:00:00.000Z',
    },
  ],
];

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_explain');
  const pool = new Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  try {
    await migrateReadModel(pool);
    const seedStarted = performance.now();
    await seed(pool);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded ${rows} rows, indexed and analysed in ${seedSeconds.toFixed(1)} s`);

    const table: (string | number)[][] = [];
    const failures: string[] = [];
    for (const [label, filter] of FILTERS) {
      const deep = await cursorAt(pool, filter, 5_000);
      const variants: [string, string | undefined][] = [['first page', undefined]];
      if (deep !== undefined) variants.push(['after 5,000 rows', deep]);
      for (const [page, cursor] of variants) {
        const sql = listEmailsSql(filter, cursor ? decodeCursor(cursor) : undefined, PAGE);
        const planned = scans((await explain(pool, sql, false)).plan);
        if (planned.seqScan) failures.push(`${label}, ${page}: Seq Scan on emails`);
        await explain(pool, sql, true); // warm the cache: the figure is the second run
        const analysed = await explain(pool, sql, true);
        const returned = analysed.plan['Actual Rows'] ?? 0;
        table.push([label, page, planned.text, returned, analysed.executionMs.toFixed(2)]);
        console.log(
          `${label.padEnd(36)} ${page.padEnd(17)} ${analysed.executionMs.toFixed(2).padStart(8)} ms  ${planned.text}`,
        );
      }
    }
    const markdown = markdownTable(
      ['filter (GET /v1/admin/emails)', 'page', 'plan (scan nodes)', 'rows', 'execution ms'],
      table,
    );
    if (record)
      await recordResults(
        `Read model query plans, ${rows} rows, page of ${PAGE - 1} (+1)`,
        await describeMachine(pool),
        `${markdown}\n\nSeeded, indexed and analysed in ${seedSeconds.toFixed(1)} s. ` +
          `Every plan checked for a Seq Scan on emails: ${failures.length === 0 ? 'none' : failures.join('; ')}.`,
      );
    if (failures.length > 0) {
      console.error(`Seq Scan on emails:\n${failures.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
