// A connection that dies while its client is checked out but between queries (a Postgres restart, a failover)
// emits 'error' on that client, where pg-pool listens only while it is idle: unhandled, the process died (the
// dispatcher's process test saw it). The pool's clients must ride it out.

import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { createPostgresPool } from './postgres.module';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('createPostgresPool', () => {
  it('survives a checked-out client losing its connection between queries', async () => {
    const pool = createPostgresPool(DATABASE_URL, new Logger('test'));
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.prependListener('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      // No listener of the test's own on the client: the termination arrives while it sits between queries.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      // The pool goes on with a fresh connection.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      await admin.end();
      await pool.end();
    }
  });
});
