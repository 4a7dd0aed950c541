// kill -9 of real worker processes (the built app) while a schedule fires every second: each occurrence
// between its start and its until must end up created exactly once (one email stream, one
// OccurrenceScheduled), none missing under catchUp 'all', however the kills fall (mid-run, between the
// email's creation and the schedule's append, both workers at once).

import { randomUUID } from 'node:crypto';
import { decideSchedule, formatInstant, initialScheduleState } from '@app/domain';
import { scheduleStreamName, ScheduleStreams } from '@app/email-streams';
import { AppProcess, waitFor } from '@app/testing';
import { Client } from 'pg';
import { WorkerHarness } from '../testing/worker-harness';

const REDIS_URL = process.env.RECURRENCE_CRASH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const SECOND = 1_000;
/** Occurrences the schedule has: one a second. */
const OCCURRENCES = 12;

jest.setTimeout(120_000);

describe('recurring occurrences across kill -9 of every worker', () => {
  let harness: WorkerHarness;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL);
  });

  afterAll(async () => {
    for (const worker of workers.splice(0)) await worker.kill();
    await harness?.stop();
  });

  function spawnWorker(name: string): Promise<AppProcess> {
    return AppProcess.start(
      'worker',
      {
        DATABASE_URL: String(harness.env.DATABASE_URL),
        REDIS_URL,
        SMTP_URL: harness.sink.url,
        SENDER_RATE_LIMIT_PER_HOUR: '0',
        RECURRENCE_POLL_MS: '50',
        RECURRENCE_LEAD_MS: '0',
      },
      { name },
    );
  }

  it('creates every occurrence once', async () => {
    // Starts once both workers are up, so the kills fall among occurrences being created.
    const w1 = await spawnWorker('worker-1');
    const w2 = await spawnWorker('worker-2');
    workers.push(w1, w2);
    const scheduleId = randomUUID();
    const startMs = Math.ceil((Date.now() + SECOND) / SECOND) * SECOND;
    const untilMs = startMs + (OCCURRENCES - 1) * SECOND;
    const streams = new ScheduleStreams(harness.store);
    await streams.append(
      streams.fresh(scheduleId),
      decideSchedule(
        {
          type: 'CreateSchedule',
          data: {
            scheduleId,
            tenantId: 'tenant-crash',
            cron: '* * * * * *',
            timeZone: 'Europe/Paris',
            startAt: formatInstant(startMs),
            until: formatInstant(untilMs),
            catchUp: 'all',
            email: { from: 'a@a.example', to: 'b@b.example', subject: 'tick', text: 't' },
            senderIdentity: { kind: 'any' },
            now: formatInstant(Date.now()),
          },
        },
        initialScheduleState,
        { minIntervalMs: SECOND, maxSkipCount: 100 },
      ),
    );

    // Kills at uneven moments while it fires: one worker, the other, then both at once (nothing runs for
    // a while: the occurrences it misses are caught up under 'all').
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    let kills = 0;
    for (const [victims, afterMs] of [
      [[0], 700],
      [[1], 900],
      [[0, 1], 1_300],
      [[1], 500],
      [[0, 1], 800],
    ] as const) {
      await pause(afterMs);
      for (const index of victims) {
        const victim = workers[index];
        if (!victim) throw new Error('no such worker');
        await victim.kill();
        kills++;
      }
      for (const index of victims) workers[index] = await spawnWorker(`worker-${index + 1}`);
    }
    expect(kills).toBe(7);

    await waitFor(
      'every occurrence to be recorded',
      async () => {
        const history = await harness.store.readStream(scheduleStreamName(scheduleId));
        return (
          history.filter((event) => event.type === 'OccurrenceScheduled').length >= OCCURRENCES
        );
      },
      untilMs - Date.now() + 20 * SECOND,
      100,
    );
    // A little longer: a duplicate would show up now if one were going to.
    await pause(500);

    const expected = Array.from({ length: OCCURRENCES }, (_, i) =>
      formatInstant(startMs + i * SECOND),
    );
    const history = await harness.store.readStream(scheduleStreamName(scheduleId));
    const recorded = history
      .filter((event) => event.type === 'OccurrenceScheduled')
      .map((event) => event.data.occurrenceAt);
    expect(recorded).toEqual(expected);
    expect(history.filter((event) => event.type === 'OccurrencesSkipped')).toEqual([]);
    // One email stream per occurrence, each scheduled once.
    const sql = new Client({ connectionString: harness.database.url });
    await sql.connect();
    const { rows } = await sql
      .query<{ occurrence: string; streams: string; events: string }>(
        `SELECT data->>'occurrenceAt' AS occurrence, count(DISTINCT stream_name) AS streams,
                count(*) AS events
           FROM event_store.events
          WHERE type = 'EmailScheduled' AND data->>'scheduleId' = $1
          GROUP BY 1 ORDER BY 1`,
        [scheduleId],
      )
      .finally(() => sql.end());
    expect(rows).toEqual(expected.map((occurrence) => ({ occurrence, streams: '1', events: '1' })));
  });
});
