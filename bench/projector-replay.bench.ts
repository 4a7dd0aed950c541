/**
 * Replay throughput of the email projection, through the real ProjectionRunner: seed N events
 * (realistic histories), time a first start catching up from position 0 (live subscription, indexed
 * generation, checkpoint per batch), then a requested rebuild (fresh unindexed generation, indexed
 * at the end, swapped in). Baseline: a bare `INSERT ... SELECT` copy of the same rows into an
 * unindexed table. Runs in a database of its own, dropped afterwards.
 *
 *   npm run bench:projector -- [events=1000000] [batch=10000]
 */
import { randomUUID } from 'node:crypto';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { PostgresEventStore, formatPosition } from '@app/event-store';
import {
  ProjectionRunner,
  migrateReadModel,
  readProjection,
  requestRebuild,
} from '@app/read-model';
import { HISTORY_TENANTS, createTestDatabase, emailHistory } from '@app/testing';
import { Pool } from 'pg';
import { describeMachine, markdownTable, recordResults } from './machine';
import { eventRow, insertEvents, type EventRow } from './seed-events';

const target = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 10_000);

/** Seeds straight into the store's table, a chunk per transaction, histories interleaved. */
async function seed(pool: Pool): Promise<number> {
  let total = 0;
  for (let n = 0; total < target;) {
    const chunk: EventRow[] = [];
    const emails = Array.from({ length: 2_000 }, () => {
      const emailId = randomUUID();
      const tenantId = HISTORY_TENANTS[n % HISTORY_TENANTS.length] ?? 'tenant-a';
      return { emailId, tenantId, events: emailHistory(emailId, n++) };
    });
    for (let revision = 0; revision < 6; revision += 1) {
      for (const { emailId, tenantId, events } of emails) {
        const event = events[revision];
        if (!event || total + chunk.length >= target) continue;
        chunk.push(eventRow(emailId, revision, event, tenantId));
      }
    }
    await insertEvents(pool, chunk);
    total += chunk.length;
  }
  await pool.query('VACUUM ANALYZE event_store.events');
  return total;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_projector');
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const store = await PostgresEventStore.open({ connectionString: database.url });
  try {
    await migrateReadModel(pool);
    const events = await seed(pool);
    const [, copySeconds] = await timed(async () => {
      await pool.query(`CREATE UNLOGGED TABLE bare AS SELECT * FROM event_store.events LIMIT 0`);
      await pool.query(`INSERT INTO bare SELECT * FROM event_store.events`);
    });
    const head = await store.headPosition(EMAIL_CATEGORY);
    const headText = head === 'start' ? null : formatPosition(head);
    const runner = new ProjectionRunner(pool, store, { batchSize, rebuildPollMs: 20 });
    let firstSeconds: number;
    let rebuildSeconds: number;
    runner.start();
    try {
      [, firstSeconds] = await timed(() =>
        until(async () => (await readProjection(pool)).position === headText),
      );
      await requestRebuild(pool);
      [, rebuildSeconds] = await timed(() =>
        until(async () => (await readProjection(pool)).last_swap_at !== null),
      );
    } finally {
      await runner.stop();
    }
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM read_model.emails`);
    const rate = (seconds: number): number => Math.round(events / seconds);
    const baseline = rate(copySeconds);
    const row = (name: string, seconds: number): (string | number)[] => [
      name,
      seconds.toFixed(2),
      rate(seconds),
      `${Math.round((rate(seconds) / baseline) * 100)} %`,
    ];
    const table = markdownTable(
      ['variant', 'seconds', 'events/s', 'vs baseline'],
      [
        row('baseline: bare INSERT ... SELECT into an unindexed table', copySeconds),
        row(`first start: catch up into the indexed generation (batch ${batchSize})`, firstSeconds),
        row(`rebuild: fresh generation, indexed at the end, swapped in`, rebuildSeconds),
      ],
    );
    const machine = await describeMachine(pool);
    process.stdout.write(`${events} events, ${rows[0]?.n} emails\n${table}\n`);
    await recordResults(
      `Projector replay, ${events} events (${rows[0]?.n} emails)`,
      machine,
      table,
    );
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
}

void main();
