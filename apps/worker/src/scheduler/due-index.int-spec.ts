// The due index's transaction on real Postgres: a client that goes quiet inside it (a process frozen by
// SIGSTOP mid-batch) has its session ended by Postgres after FROZEN_CLIENT, which frees the owner row for a
// standby; when the process wakes, that must fail the call, not end the process. Run in a child process,
// as a worker would live it.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, ROOT, type TestDatabase } from '@app/testing';
import { Pool } from 'pg';
import { DueIndex } from './due-index';

const run = promisify(execFile);
jest.setTimeout(60_000);

describe('due index transactions', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('due_index');
    pool = new Pool({ connectionString: database.url });
    await new DueIndex(pool).migrate();
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('fails the call, not the process, when Postgres ends a transaction whose client went quiet', async () => {
    const script = join(__dirname, '..', 'testing', 'quiet-transaction.ts');
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        script,
        database.url,
      ],
      { cwd: ROOT },
    );
    expect(stdout.trim()).toBe('rejected');
    // The owner row is free again.
    expect(await new DueIndex(pool).acquire('next', 5_000)).toMatchObject({ token: '1' });
  });
});
