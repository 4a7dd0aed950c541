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

describe('postgres event store: positions ahead of the cluster', () => {
  const restored = `es_restored_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  afterAll(() => withClient((client) => client.query(`DROP SCHEMA IF EXISTS ${restored} CASCADE`)));

  it('refuses to start when stored transaction ids are ahead of the counter (a pg_dump restored elsewhere)', async () => {
    const store = await PostgresEventStore.open({
      connectionString: databaseUrl,
      schema: restored,
    });
    await store.append(
      'email-a',
      [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }],
      'no-stream',
    );
    await store.close();
    // What a restore into a new cluster looks like: ids from the old cluster's counter, far past this one's.
    await withClient((client) =>
      client.query(
        `INSERT INTO ${restored}.events (transaction_id, event_id, stream_name, category, revision, type, data, metadata)
         SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric + 5000000000)::text::xid8,
                $1, 'email-b', 'email', 0, 'T', '{}', '{}'`,
        [randomUUID()],
      ),
    );
    await expect(
      PostgresEventStore.open({ connectionString: databaseUrl, schema: restored }),
    ).rejects.toThrow(/restored from a dump.*pg_resetwal -e 1 -x \d+/s);
  });
});
