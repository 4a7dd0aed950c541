import type { Pool, PoolClient } from 'pg';

const ignore = (): void => undefined;

/**
 * A checked-out client for `work`. While checked out, a client whose connection dies emits 'error'
 * outside any query; unheard, that would crash the process. The failing query rejects anyway.
 */
export async function withClient<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  client.on('error', ignore);
  let failure: unknown;
  try {
    return await work(client);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    client.off('error', ignore);
    // A client that failed mid-transaction may be broken: destroy it rather than pool it.
    client.release(failure instanceof Error ? failure : undefined);
  }
}

/** `work` in one transaction on one client; rolled back if it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
