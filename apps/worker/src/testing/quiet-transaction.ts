// A process that goes quiet inside a due index transaction, for due-index.int-spec.ts: run as a script with
// the database URL, it holds the owner row, sleeps past FROZEN_CLIENT (Postgres ends its session meanwhile),
// then touches the connection again. It prints "rejected" and exits 0 when the call fails cleanly; an
// unheard 'error' event ends it with another code and no such line.

import { Pool, type PoolClient } from 'pg';
import { DueIndex } from '../scheduler/due-index';

async function main(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl });
  pool.on('error', () => undefined);
  const index = new DueIndex(pool);
  const inTransaction = (
    index as unknown as {
      transaction: (work: (client: PoolClient) => Promise<void>) => Promise<void>;
    }
  ).transaction.bind(index);
  try {
    await inTransaction(async (client) => {
      await client.query(`UPDATE scheduler.owner SET holder = 'quiet' WHERE name = 'email'`);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await client.query('SELECT 1');
    });
    console.log('committed');
  } catch {
    console.log('rejected');
  }
  await pool.end();
}

void main(process.argv[2] ?? '');
