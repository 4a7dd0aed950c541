import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { waitFor } from './wait-for';

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLOSING_CONNECTIONS_MS = 2_000;

export interface TestDatabase {
  /** A connection string for the new, empty database. */
  readonly url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

async function onServer(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test suite, so suites never see each other's data. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer(async (client) => {
        // A pg Pool's end() resolves before its backends have exited; forced out mid-goodbye, their
        // clients raise an error their ended pool no longer listens for. Let them go first, then
        // force out whatever a suite left open.
        await waitFor(
          `the connections to ${name} to close`,
          async () => {
            const { rows } = await client.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
              [name],
            );
            return rows[0]?.n === 0;
          },
          CLOSING_CONNECTIONS_MS,
          20,
        ).catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
