// The occurrence runner on real Postgres: runners that meet on one schedule at one revision and one instant
// create each occurrence once; missed occurrences follow the schedule's catchUp policy; the table the
// runners query is kept from the schedule streams.

import { randomUUID } from 'node:crypto';
import { decideSchedule, initialScheduleState, type ScheduleRules } from '@app/domain';
import {
  emailStreamName,
  occurrenceEmailId,
  scheduleStreamName,
  ScheduleStreams,
} from '@app/email-streams';
import { createEventStore, type EventStore } from '@app/event-store';
import { createTestDatabase, MeetingPoint, MeetingStore, type TestDatabase } from '@app/testing';
import { Pool } from 'pg';
import { OccurrenceRunner } from './occurrence-runner';

jest.setTimeout(60_000);

const RULES: ScheduleRules = { minIntervalMs: 1_000, maxSkipCount: 1_000 };
const START = Date.parse('2027-01-01T00:00:00Z');
const SECOND = 1_000;

describe('occurrence runner', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase('recurrence');
    pool = new Pool({ connectionString: database.url });
    store = await createEventStore({ databaseUrl: database.url });
    await new OccurrenceRunner(pool, store, { leadMs: 0, graceMs: 0 }).migrate();
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  /** A schedule firing every `everyS` seconds from START, created at START - 1 s. */
  async function createSchedule(catchUp: 'skip' | 'all', everyS = 1): Promise<string> {
    const scheduleId = randomUUID();
    const events = decideSchedule(
      {
        type: 'CreateSchedule',
        data: {
          scheduleId,
          tenantId: 'tenant-a',
          cron: `*/${everyS} * * * * *`,
          timeZone: 'Europe/Paris',
          startAt: new Date(START).toISOString(),
          catchUp,
          email: { from: 'a@a.example', to: 'b@b.example', subject: 'tick', text: 't' },
          senderIdentity: { kind: 'any' },
          now: new Date(START - SECOND).toISOString(),
        },
      },
      initialScheduleState,
      RULES,
    );
    const streams = new ScheduleStreams(store);
    await streams.append(streams.fresh(scheduleId), events);
    return scheduleId;
  }

  async function eventTypes(streamName: string): Promise<string[]> {
    return (await store.readStream(streamName)).map((event) => event.type);
  }

  it('two runners that read one schedule at one revision and one instant create each occurrence once', async () => {
    const scheduleId = await createSchedule('all');
    const racers = [0, 1].map(() => new MeetingStore(store));
    let nowMs = START;
    const runners = racers.map(
      (racer) =>
        new OccurrenceRunner(pool, racer, {
          leadMs: 0,
          graceMs: 10 * SECOND,
          scheduleRules: RULES,
          now: () => nowMs,
        }),
    );
    for (let round = 0; round < 5; round++) {
      nowMs = START + round * SECOND;
      const meeting = new MeetingPoint(scheduleStreamName(scheduleId), 2);
      for (const racer of racers) racer.meeting = meeting;
      const reports = await Promise.all(runners.map((runner) => runner.advance(scheduleId)));
      expect(meeting.count).toBe(2);
      // Exactly one of them created the email; the other found it there.
      expect(reports.map((report) => report.created).sort()).toEqual([0, 1]);
    }
    const history = await store.readStream(scheduleStreamName(scheduleId));
    const occurrences = history
      .filter((event) => event.type === 'OccurrenceScheduled')
      .map((event) => event.data.occurrenceAt as string);
    expect(occurrences).toEqual(
      [0, 1, 2, 3, 4].map((s) => new Date(START + s * SECOND).toISOString()),
    );
    for (const occurrenceAt of occurrences) {
      const emailId = occurrenceEmailId(scheduleId, occurrenceAt);
      const email = await store.readStream(emailStreamName(emailId));
      expect(email.map((event) => event.type)).toEqual(['EmailScheduled']);
      expect(email[0]?.data).toMatchObject({ scheduleId, occurrenceAt, sendAt: occurrenceAt });
    }
  });

  it("finds due schedules through the table, creates every missed occurrence under 'all', skips them under 'skip'", async () => {
    const all = await createSchedule('all', 2);
    const skip = await createSchedule('skip', 2);
    const nowMs = START + 11 * SECOND; // 0, 2, …, 10 are past; the grace is 1 s
    const runner = new OccurrenceRunner(pool, store, {
      leadMs: 0,
      graceMs: SECOND,
      scheduleRules: RULES,
      now: () => nowMs,
    });
    await runner.runOnce();
    expect(await eventTypes(scheduleStreamName(all))).toEqual([
      'ScheduleCreated',
      ...Array<string>(6).fill('OccurrenceScheduled'),
    ]);
    // 0 … 8 are more than the grace in the past; 10 is within it, so it is still sent.
    expect(await eventTypes(scheduleStreamName(skip))).toEqual([
      'ScheduleCreated',
      'OccurrencesSkipped',
      'OccurrenceScheduled',
    ]);
    expect((await store.readStream(scheduleStreamName(skip)))[1]?.data).toMatchObject({
      from: new Date(START).toISOString(),
      to: new Date(START + 8 * SECOND).toISOString(),
      count: 5,
      reason: 'catch-up skip',
    });
    const { rows } = await pool.query<{ id: string; next: Date; revision: string }>(
      'SELECT id, next_occurrence_at AS next, revision FROM schedules.schedules WHERE id = ANY($1)',
      [[all, skip]],
    );
    const next = new Date(START + 12 * SECOND).toISOString();
    expect(rows.map((row) => [row.id, row.next.toISOString()]).sort()).toEqual(
      [
        [all, next],
        [skip, next],
      ].sort(),
    );
    // Nothing more is due until the next occurrence, of these or of any other schedule.
    expect(await runner.runOnce()).toEqual({ created: 0, skipped: 0 });
  });
});
