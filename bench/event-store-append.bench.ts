/**
 * Append throughput of the Postgres event store from many concurrent writers, against a bare
 * INSERT baseline and against the two other designs the ADR weighed (docs/adr/0001), all in
 * this one process on the same database.
 *
 *   npm run bench:append -- [writers=32] [seconds=5]
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { emailStreamName } from '@app/email-streams';
import { PostgresEventStore } from '@app/event-store';
import { describeMachine, markdownTable, recordResults } from './machine';

const writers = Number(process.argv[2] ?? 32);
const seconds = Number(process.argv[3] ?? 5);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_es_${randomUUID().replace(/-/g, '').slice(0, 8)}`;

type AppendOnce = (stream: string, revision: number) => Promise<void>;

function payload(): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      type: 'EmailScheduled',
      data: { to: ['a@example.com'], subject: 'hello' },
      metadata: {},
    },
  ]);
}

/** Each writer appends to its own stream at the next revision, as a command handler would. */
async function measure(append: AppendOnce): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = emailStreamName(randomUUID());
      for (let revision = 0; Date.now() < deadline; revision += 1) {
        await append(stream, revision);
        count += 1;
      }
    }),
  );
  return count / seconds;
}

async function main(): Promise<void> {
  const store = await PostgresEventStore.open({
    connectionString: databaseUrl,
    schema,
    poolSize: writers,
  });
  const pool = new Pool({ connectionString: databaseUrl, max: writers });
  await pool.query(`CREATE TABLE ${schema}.bare (id uuid PRIMARY KEY, stream text, data jsonb)`);
  const fn = `${schema}.append_many`;
  /** One append as append_many takes it. */
  const oneAppend = (stream: string, revision: number): string =>
    JSON.stringify([
      {
        stream,
        category: 'email',
        kind: revision === 0 ? 'no-stream' : 'exact',
        expected: revision === 0 ? null : revision - 1,
        events: JSON.parse(payload()) as unknown,
      },
    ]);

  const variants: [string, AppendOnce][] = [
    [
      'baseline: bare single-row INSERT',
      async (stream) => {
        await pool.query(`INSERT INTO ${schema}.bare VALUES ($1, $2, $3)`, [
          randomUUID(),
          stream,
          payload(),
        ]);
      },
    ],
    [
      'ours: PostgresEventStore.append (xid8 order, NOTIFY after commit)',
      async (stream, revision) => {
        const [id, type] = [randomUUID(), 'EmailScheduled'];
        await store.append(
          stream,
          [{ id, type, data: { subject: 'hello' } }],
          revision === 0 ? 'no-stream' : revision - 1,
        );
      },
    ],
    [
      'alternative: one global advisory lock per append',
      async (stream, revision) => {
        await pool.query(`SELECT pg_advisory_xact_lock(4242), f.* FROM ${fn}($1) f`, [
          oneAppend(stream, revision),
        ]);
      },
    ],
    [
      'alternative: NOTIFY inside the append transaction',
      async (stream, revision) => {
        await pool.query(`SELECT pg_notify('${schema}_x', ''), f.* FROM ${fn}($1) f`, [
          oneAppend(stream, revision),
        ]);
      },
    ],
  ];

  const rows: (string | number)[][] = [];
  let baseline = 0;
  for (const [name, append] of variants) {
    await measure(append).catch(() => 0); // warm-up: connections, plans, caches
    const perSecond = await measure(append);
    if (rows.length === 0) baseline = perSecond;
    rows.push([name, Math.round(perSecond), `${((perSecond / baseline) * 100).toFixed(0)} %`]);
    console.log(`${name}: ${Math.round(perSecond)} appends/s`);
  }

  const machine = await describeMachine(pool);
  const table = markdownTable(['variant', 'appends/s', 'vs baseline'], rows);
  console.log(`\n${writers} writers, ${seconds} s each, ${machine}\n\n${table}`);
  await recordResults(
    `Event store appends, ${writers} concurrent writers, ${seconds} s`,
    machine,
    table,
  );

  await store.close();
  await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
