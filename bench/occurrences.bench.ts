/**
 * Occurrence creation throughput: N schedules whose one occurrence falls due at the same instant, turned into
 * their emails by R worker processes (the built app; each occurrence: load the schedule stream, create the
 * email stream at 'no-stream', append OccurrenceScheduled at the schedule's revision, write its row), timed
 * from the due instant until the last OccurrenceScheduled is stored. Baseline in the same run on the same
 * database: the same number of plain email appends as POST /v1/emails makes them (decide ScheduleEmail,
 * append at 'no-stream'), in R concurrent lanes. Both emails are held by a closed delivery window, so nothing
 * is sent and only creation is measured.
 *
 *   npm run bench:occurrences -- [schedules=500] [workers=2]
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import {
  decide,
  decideSchedule,
  formatInstant,
  initialScheduleState,
  initialState,
  type ScheduleEmailInput,
} from '@app/domain';
import { EmailStreams, ScheduleStreams } from '@app/email-streams';
import { createEventStore } from '@app/event-store';
import { AppProcess, createTestDatabase, waitFor } from '@app/testing';
import { describeMachine, markdownTable, recordResults } from './machine';

const schedules = Number(process.argv[2] ?? 500);
const workers = Number(process.argv[3] ?? 2);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const HOUR = 3_600_000;

async function lanes(count: number, work: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next++ < count) await work();
    }),
  );
}

/** A window that opens two hours from now (UTC): the emails wait for it and nothing is sent meanwhile. */
function closedWindow(nowMs: number): Record<string, unknown> {
  const hour = (h: number): string => `${String(h % 24).padStart(2, '0')}:00`;
  const start = new Date(nowMs + 2 * HOUR).getUTCHours();
  return {
    timeZone: 'UTC',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    start: hour(start),
    end: hour(start + 1),
  };
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_occurrences');
  const pool = new Pool({ connectionString: database.url });
  const store = await createEventStore({ databaseUrl: database.url });
  const started: AppProcess[] = [];
  try {
    const email: ScheduleEmailInput = {
      from: 'news@a.example',
      to: 'ann@example.com',
      subject: 'Tick',
      text: 'Hi',
      deliveryWindow: closedWindow(Date.now()),
    };
    for (let i = 0; i < workers; i++) {
      started.push(
        await AppProcess.start(
          'worker',
          {
            DATABASE_URL: database.url,
            REDIS_URL,
            SMTP_URL: 'smtp://127.0.0.1:9',
            RECURRENCE_POLL_MS: '50',
            RECURRENCE_LEAD_MS: '0',
          },
          { name: `worker-${i + 1}`, keepOutput: false },
        ),
      );
    }

    // Baseline: plain email appends, as POST /v1/emails makes them.
    const emails = new EmailStreams(store);
    const baselineStart = performance.now();
    await lanes(schedules, async () => {
      const emailId = randomUUID();
      const now = formatInstant(Date.now());
      const events = decide(
        {
          type: 'ScheduleEmail',
          data: { ...email, emailId, tenantId: 'bench', senderIdentity: { kind: 'any' }, now },
        },
        initialState,
      );
      await emails.append(emails.fresh(emailId), events);
    });
    const baselineS = (performance.now() - baselineStart) / 1000;

    // Ours: N schedules with one occurrence each, all at the same second, a few seconds ahead.
    const dueMs = Math.ceil((Date.now() + 3_000 + schedules * 5) / 1_000) * 1_000;
    const streams = new ScheduleStreams(store);
    await lanes(schedules, async () => {
      const scheduleId = randomUUID();
      const created = decideSchedule(
        {
          type: 'CreateSchedule',
          data: {
            scheduleId,
            tenantId: 'bench',
            cron: '* * * * * *',
            timeZone: 'UTC',
            startAt: formatInstant(dueMs),
            until: formatInstant(dueMs + 500), // one occurrence: the next is a second later
            catchUp: 'all',
            email,
            senderIdentity: { kind: 'any' },
            now: formatInstant(Date.now()),
          },
        },
        initialScheduleState,
      );
      await streams.append(streams.fresh(scheduleId), created);
    });
    if (Date.now() >= dueMs)
      throw new Error('the schedules were not all created before they fell due');
    const recorded = async (): Promise<number> => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'OccurrenceScheduled'`,
      );
      return rows[0]?.n ?? 0;
    };
    await sleep(dueMs - Date.now());
    await waitFor('every occurrence', async () => (await recorded()) >= schedules, 300_000, 20);
    const oursS = (Date.now() - dueMs) / 1000;
    const { rows: emailRows } = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT stream_name)::int AS n FROM event_store.events
        WHERE type = 'EmailScheduled' AND data ? 'scheduleId'`,
    );
    if ((await recorded()) !== schedules || emailRows[0]?.n !== schedules) {
      throw new Error(
        `expected ${schedules} occurrences and emails, got ${emailRows[0]?.n} emails`,
      );
    }

    const rate = (s: number): number => Math.round(schedules / s);
    const rows = [
      [
        `baseline: plain email appends (POST /v1/emails path), ${workers} lanes`,
        schedules,
        baselineS.toFixed(2),
        rate(baselineS),
        '100 %',
      ],
      [
        `ours: ${workers} worker processes' occurrence runners, from the due instant`,
        schedules,
        oursS.toFixed(2),
        rate(oursS),
        `${((rate(oursS) / rate(baselineS)) * 100).toFixed(0)} %`,
      ],
    ];
    const machine = await describeMachine(pool);
    const table = markdownTable(
      ['variant', 'occurrences', 'seconds', 'per second', 'vs baseline'],
      rows,
    );
    console.log(`\n${schedules} schedules due at once, ${workers} workers, ${machine}\n\n${table}`);
    await recordResults(
      `Occurrence creation, ${schedules} schedules due at once, ${workers} workers`,
      machine,
      table,
    );
  } finally {
    for (const worker of started) await worker.kill();
    await store.close();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
