// The built projector as processes: kill -9 mid-replay, restart, active/standby failover.
// beforeAll builds it with `nest build` so the test never runs a stale dist/.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { PostgresEventStore } from '@app/event-store';
import {
  countDifferences,
  migrateReadModel,
  readProjection,
  replayIntoNewGeneration,
  toPosition,
} from '@app/read-model';
import { appendEmailHistories, createTestDatabase, waitFor, type TestDatabase } from '@app/testing';
import { Pool } from 'pg';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'dist', 'apps', 'projector', 'apps', 'projector', 'src', 'main.js');

interface Projector {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

describe('the projector process', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const running: Projector[] = [];

  function start(): Projector {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const projector = { child, output: () => output, exited };
    running.push(projector);
    return projector;
  }

  /** The projection has applied everything, including events an open transaction held back. */
  async function caughtUp(): Promise<boolean> {
    const after = toPosition((await readProjection(pool)).position);
    const next = await store.readCategory(EMAIL_CATEGORY, { after, maxCount: 1 });
    return next.length === 0 && !(await store.hasHeldBackEvents(EMAIL_CATEGORY, after));
  }

  async function expectEqualToRebuild(): Promise<void> {
    const generation = await replayIntoNewGeneration(pool, store);
    expect(await countDifferences(pool, 'read_model', `read_model_g${generation}`)).toBe(0);
    await pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
  }

  beforeAll(async () => {
    database = await createTestDatabase('projector');
    pool = new Pool({ connectionString: database.url, max: 4 });
    pool.on('error', () => undefined); // the drop terminates idle connections
    store = await PostgresEventStore.open({ connectionString: database.url });
    await migrateReadModel(pool);
  }, 600_000);

  afterEach(() => {
    for (const { child } of running.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('survives kill -9 mid-replay: after a restart the tables equal a rebuild', async () => {
    await appendEmailHistories(store, 6_000, 0, 16);
    const first = start();
    await waitFor(
      'the first batch to commit',
      async () => (await readProjection(pool)).position !== null,
      30_000,
      2,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await caughtUp()).toBe(false); // it really died mid-replay

    const second = start();
    await waitFor('the restarted projector to catch up', caughtUp, 60_000, 50);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('projector active');
    await expectEqualToRebuild();
  }, 120_000);

  it('runs one active projector; kill -9 it and the standby takes over within seconds', async () => {
    const a = start();
    await waitFor('a to become active', () => a.output().includes('projector active'), 30_000, 20);
    const b = start();
    await waitFor('b to stand by', () => b.output().includes('standing by'), 30_000, 20);
    await appendEmailHistories(store, 300, 10_000);
    await waitFor('the projection to catch up', caughtUp, 30_000, 20);
    expect(b.output()).not.toContain('projector active');

    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    await waitFor('b to take over', () => b.output().includes('projector active'), 5_000, 20);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    await appendEmailHistories(store, 300, 20_000);
    await waitFor('b to project the new events', caughtUp, 30_000, 20);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    await expectEqualToRebuild();
  }, 120_000);

  it('rides out every connection being terminated, as in a Postgres restart', async () => {
    const projector = start();
    await waitFor(
      'it to become active',
      () => projector.output().includes('projector active'),
      30_000,
      20,
    );
    await waitFor('the projection to catch up', caughtUp, 30_000, 20);
    await appendEmailHistories(store, 200, 30_000);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(rows[0]?.n).toBeGreaterThan(1);
    await waitFor(
      'it to take the lock again',
      () => projector.output().split('projector active').length > 2,
      15_000,
      20,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${projector.output()}`);
    });
    await appendEmailHistories(store, 200, 40_000);
    await waitFor('the projection to catch up again', caughtUp, 30_000, 20);
    expect(projector.child.exitCode).toBeNull();
    projector.child.kill('SIGTERM');
    expect(await projector.exited).toBe(0);
    await expectEqualToRebuild();
  }, 120_000);
});
