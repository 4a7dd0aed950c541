// A schedule's life: given its past events, when a command, then these events (or this refusal).

import {
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from '../domain-errors';
import type { ScheduleCommand, CreateSchedule } from './schedule-commands';
import {
  decideSchedule,
  occurrenceEmail,
  occurrenceStep,
  parseDurationMs,
} from './schedule-decide';
import type { ScheduleEvent } from './schedule-events';
import { replaySchedule } from './schedule-evolve';
import type { LiveScheduleState } from './schedule-state';

const SCHEDULE_ID = '0190c0de-0000-7000-8000-0000000000aa';
const NOW = '2027-01-01T00:00:00.000Z';
const MINUTE = 60_000;

function create(overrides: Partial<CreateSchedule['data']> = {}): CreateSchedule {
  return {
    type: 'CreateSchedule',
    data: {
      scheduleId: SCHEDULE_ID,
      tenantId: 'tenant-acme',
      rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Europe/Paris',
      startAt: '2027-01-04T00:00',
      email: { from: 'news@acme.example', to: 'ann@example.com', subject: 'Daily', text: 'Hi' },
      senderIdentity: { kind: 'domains', domains: ['acme.example'] },
      now: NOW,
      ...overrides,
    },
  };
}

function run(
  history: readonly ScheduleEvent[],
  command: ScheduleCommand,
): readonly ScheduleEvent[] {
  return decideSchedule(command, replaySchedule(history));
}

function issueFields(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function created(overrides: Partial<CreateSchedule['data']> = {}): ScheduleEvent {
  const [event] = run([], create(overrides));
  if (!event) throw new Error('nothing created');
  return event;
}

function live(history: readonly ScheduleEvent[]): LiveScheduleState {
  const state = replaySchedule(history);
  if (state.status === 'initial') throw new Error('no schedule');
  return state;
}

describe('CreateSchedule', () => {
  it('records the rule, zone, resolved start and the validated email template', () => {
    expect(
      run([], create({ catchUp: 'all', email: { ...create().data.email, expiresAfter: 'PT2H' } })),
    ).toEqual([
      {
        type: 'ScheduleCreated',
        data: {
          scheduleId: SCHEDULE_ID,
          tenantId: 'tenant-acme',
          rule: { rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0' },
          timeZone: 'Europe/Paris',
          startAt: '2027-01-03T23:00:00.000Z',
          localStartAt: '2027-01-04T00:00',
          catchUp: 'all',
          email: {
            from: { address: 'news@acme.example' },
            to: [{ address: 'ann@example.com' }],
            cc: [],
            bcc: [],
            subject: 'Daily',
            text: 'Hi',
            tags: [],
            maxAttempts: 5,
            expiresAfter: 'PT2H',
          },
          senderIdentity: { kind: 'domains', domains: ['acme.example'] },
          createdAt: NOW,
        },
      },
    ]);
  });

  it('defaults catchUp to skip', () => {
    expect(created()).toMatchObject({ data: { catchUp: 'skip' } });
  });

  it('names every field at fault, the email ones under email.', () => {
    const badRequest = create({
      rrule: 'FREQ=SOMETIMES',
      timeZone: 'Europe/Pariss',
      catchUp: 'most',
      email: { from: 'not an address', to: [], subject: '', expiresAfter: 'P1M' },
    });
    expect(() => run([], badRequest)).toThrow(ValidationError);
    expect(issueFields(() => run([], badRequest))).toEqual(
      expect.arrayContaining([
        'rrule',
        'timeZone',
        'catchUp',
        'email.from',
        'email.to',
        'email.expiresAfter',
      ]),
    );
    expect(() => run([], create({ rrule: undefined }))).toThrow(ValidationError);
  });

  it('refuses a from outside the creator’s sender domains, as a one-off email would', () => {
    expect(() =>
      run([], create({ email: { ...create().data.email, from: 'x@elsewhere.example' } })),
    ).toThrow(ForbiddenError);
  });

  it('refuses a rule firing more often than the minimum interval unless the rules allow it', () => {
    const everySecond = create({ rrule: undefined, cron: '* * * * * *' });
    expect(() => run([], everySecond)).toThrow(ValidationError);
    expect(
      decideSchedule(everySecond, replaySchedule([]), { minIntervalMs: 1_000, maxSkipCount: 10 }),
    ).toHaveLength(1);
  });

  it('refuses a second create', () => {
    expect(() => run([created()], create())).toThrow(IllegalStateError);
  });
});

describe('pause, resume, delete', () => {
  it('pauses an active schedule and resumes it without making up the occurrences it missed', () => {
    const history = [
      created(),
      { type: 'SchedulePaused', data: { pausedAt: '2027-01-04T00:00:00.000Z' } },
    ] as const;
    expect(
      occurrenceStep(live(history), Date.parse('2027-01-05T08:00:00Z'), MINUTE, MINUTE),
    ).toEqual({
      kind: 'none',
    });
    const resumed = run(history, {
      type: 'ResumeSchedule',
      data: { now: '2027-01-06T12:00:00.000Z' },
    });
    expect(resumed).toEqual([
      { type: 'ScheduleResumed', data: { resumedAt: '2027-01-06T12:00:00.000Z' } },
    ]);
    expect(
      occurrenceStep(
        live([...history, ...resumed]),
        Date.parse('2027-01-06T12:00:00Z'),
        MINUTE,
        MINUTE,
      ),
    ).toEqual({ kind: 'wait', untilMs: Date.parse('2027-01-07T08:00:00Z') });
  });

  it('refuses what the status does not allow', () => {
    const now = { now: NOW };
    expect(() => run([], { type: 'PauseSchedule', data: now })).toThrow(NotFoundError);
    expect(() => run([created()], { type: 'ResumeSchedule', data: now })).toThrow(
      IllegalStateError,
    );
    const deleted = [created(), { type: 'ScheduleDeleted', data: { deletedAt: NOW } }] as const;
    expect(() => run(deleted, { type: 'PauseSchedule', data: now })).toThrow(IllegalStateError);
    expect(() => run(deleted, { type: 'DeleteSchedule', data: now })).toThrow(IllegalStateError);
    expect(
      occurrenceStep(live(deleted), Date.parse('2027-01-04T08:00:00Z'), MINUTE, MINUTE).kind,
    ).toBe('none');
  });
});

describe('occurrences', () => {
  const FIRST = '2027-01-04T08:00:00.000Z';

  it('creates the next occurrence once it is within the lead, and only that one', () => {
    const state = live([created()]);
    expect(occurrenceStep(state, Date.parse(FIRST) - 2 * MINUTE, MINUTE, MINUTE)).toEqual({
      kind: 'wait',
      untilMs: Date.parse(FIRST),
    });
    expect(occurrenceStep(state, Date.parse(FIRST) - 30_000, MINUTE, MINUTE)).toEqual({
      kind: 'create',
      occurrenceAt: FIRST,
    });
    const recorded = run([created()], {
      type: 'RecordOccurrence',
      data: { occurrenceAt: FIRST, emailId: 'e-1', now: NOW },
    });
    expect(recorded).toEqual([
      {
        type: 'OccurrenceScheduled',
        data: { occurrenceAt: FIRST, emailId: 'e-1', scheduledAt: NOW },
      },
    ]);
    const after = live([created(), ...recorded]);
    expect(after).toMatchObject({ lastOccurrenceAt: FIRST, occurrencesCreated: 1, cursor: FIRST });
    // A runner that read before the append would try the same occurrence: refused, not doubled.
    expect(() =>
      run([created(), ...recorded], {
        type: 'RecordOccurrence',
        data: { occurrenceAt: FIRST, emailId: 'e-1', now: NOW },
      }),
    ).toThrow(IllegalStateError);
  });

  it('skips the next occurrence whose email its own rules refuse, with why, and moves on', () => {
    const invalid = { occurrenceAt: FIRST, detail: 'expiresAt: before the window opens' };
    const skipped = run([created()], {
      type: 'SkipOccurrences',
      data: { now: NOW, graceMs: MINUTE, invalid },
    });
    expect(skipped).toEqual([
      {
        type: 'OccurrencesSkipped',
        data: {
          from: FIRST,
          to: FIRST,
          count: 1,
          reason: 'invalid',
          detail: invalid.detail,
          skippedAt: NOW,
        },
      },
    ]);
    expect(
      occurrenceStep(live([created(), ...skipped]), Date.parse(FIRST), MINUTE, MINUTE),
    ).toEqual({
      kind: 'wait',
      untilMs: Date.parse('2027-01-05T08:00:00Z'),
    });
    // Another runner skipped or recorded it first: nothing more.
    expect(
      run([created(), ...skipped], {
        type: 'SkipOccurrences',
        data: { now: NOW, graceMs: MINUTE, invalid },
      }),
    ).toEqual([]);
  });

  it("under catchUp 'skip' skips every missed occurrence in one event, then waits for the next", () => {
    const now = '2027-01-07T12:00:00.000Z';
    const skipped = run([created()], { type: 'SkipOccurrences', data: { now, graceMs: MINUTE } });
    expect(skipped).toEqual([
      {
        type: 'OccurrencesSkipped',
        data: {
          from: FIRST,
          to: '2027-01-07T08:00:00.000Z',
          count: 4,
          reason: 'catch-up skip',
          skippedAt: now,
        },
      },
    ]);
    expect(occurrenceStep(live([created()]), Date.parse(now), MINUTE, MINUTE)).toEqual({
      kind: 'skip',
    });
    expect(occurrenceStep(live([created(), ...skipped]), Date.parse(now), MINUTE, MINUTE)).toEqual({
      kind: 'wait',
      untilMs: Date.parse('2027-01-08T08:00:00Z'),
    });
  });

  it("under catchUp 'all' creates missed occurrences one by one (sent at once)", () => {
    const state = live([created({ catchUp: 'all' })]);
    expect(occurrenceStep(state, Date.parse('2027-01-07T12:00:00Z'), MINUTE, MINUTE)).toEqual({
      kind: 'create',
      occurrenceAt: FIRST,
    });
    expect(
      run([created({ catchUp: 'all' })], {
        type: 'SkipOccurrences',
        data: { now: '2027-01-07T12:00:00.000Z', graceMs: MINUTE },
      }),
    ).toEqual([]);
  });

  it('skips, under either policy, an occurrence whose email would already have expired', () => {
    const history = [
      created({ catchUp: 'all', email: { ...create().data.email, expiresAfter: 'PT1H' } }),
    ];
    const now = '2027-01-04T10:00:00.000Z';
    expect(occurrenceStep(live(history), Date.parse(now), MINUTE, MINUTE)).toEqual({
      kind: 'skip',
    });
    expect(run(history, { type: 'SkipOccurrences', data: { now, graceMs: MINUTE } })).toMatchObject(
      [
        {
          type: 'OccurrencesSkipped',
          data: { from: FIRST, to: FIRST, count: 1, reason: 'expired' },
        },
      ],
    );
  });

  it("makes the occurrence's email from the template: due at the occurrence, expiring after it", () => {
    const state = live([created({ email: { ...create().data.email, expiresAfter: 'PT2H' } })]);
    expect(occurrenceEmail(state.schedule, FIRST, 'e-1', NOW)).toMatchObject({
      type: 'ScheduleEmail',
      data: {
        emailId: 'e-1',
        tenantId: 'tenant-acme',
        sendAt: FIRST,
        timeZone: 'Europe/Paris',
        expiresAt: '2027-01-04T10:00:00.000Z',
        scheduleId: SCHEDULE_ID,
        occurrenceAt: FIRST,
        senderIdentity: { kind: 'domains', domains: ['acme.example'] },
        now: NOW,
      },
    });
  });

  it('ends at until', () => {
    const state = live([created({ until: '2027-01-04T09:00' })]);
    expect(occurrenceStep(state, Date.parse('2027-01-05T12:00:00Z'), MINUTE, MINUTE).kind).toBe(
      'skip',
    );
    const skipped = run([created({ until: '2027-01-04T09:00' })], {
      type: 'SkipOccurrences',
      data: { now: '2027-01-05T12:00:00.000Z', graceMs: MINUTE },
    });
    expect(
      occurrenceStep(live([created({ until: '2027-01-04T09:00' }), ...skipped]), 0, MINUTE, MINUTE),
    ).toEqual({ kind: 'none' });
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['PT2H', 7_200_000],
    ['P1DT30M', 88_200_000],
    ['PT45S', 45_000],
    ['P1M', undefined],
    ['PT', undefined],
    ['P0D', undefined],
    [7200, undefined],
  ])('%j → %j', (value, ms) => expect(parseDurationMs(value)).toBe(ms));
});
