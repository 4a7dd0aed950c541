import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `es_contract_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describeEventStoreContract('postgres', {
  // jsonb takes no NUL (SQLSTATE 22P05), as a relay's reply may hold one.
  unstorableData: { response: '250 ok\u0000' },
  create: () => PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 40 }),

  dropConnections: () =>
    withClient(async (client) => {
      const { rowCount } = await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name IN ($1, $2) AND pid <> pg_backend_pid()`,
        [`es:${schema}`, `es-listen:${schema}`],
      );
      if (!rowCount) throw new Error('no connection of the store was found to kill');
    }),

  // Calls the store's own append function, but commits only after holdMs: the transaction has
  // taken its id and positions early while faster appends commit around it.
  appendHoldingTransaction: (_store, stream, events, expected, holdMs) =>
    withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`SELECT * FROM ${schema}.append_many($1)`, [
        JSON.stringify([
          {
            stream,
            category: stream.slice(0, stream.indexOf('-')),
            kind: typeof expected === 'number' ? 'exact' : expected,
            expected: typeof expected === 'number' ? expected : null,
            events: events.map((e) => ({ ...e, metadata: e.metadata ?? {} })),
          },
        ]),
      ]);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      await client.query('COMMIT');
    }),

  cleanUp: () =>
    withClient((client) => client.query(`DROP SCHEMA ${schema} CASCADE`).then(() => undefined)),
});
