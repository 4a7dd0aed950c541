// Turns each due occurrence of every active schedule into its email, exactly once, with any number of
// runners at once and whatever crashes between steps (ADR 0009). Exactly once rests on the event store,
// not on this process: the occurrence's email id derives from (schedule, occurrence), so its stream can be
// created once ('no-stream'), and OccurrenceScheduled is appended at the schedule's expected revision, so
// two runners cannot both move the schedule past one occurrence. A runner that loses either race reloads.

import {
  decide,
  decideSchedule,
  ForbiddenError,
  ValidationError,
  formatInstant,
  initialState,
  occurrenceEmail,
  occurrenceStep,
  type LiveScheduleState,
  type ScheduleEvent,
  type ScheduleRules,
} from '@app/domain';
import {
  EmailStreams,
  occurrenceEmailId,
  ScheduleStreams,
  type LoadedSchedule,
} from '@app/email-streams';
import { ConcurrencyError, type EventStore } from '@app/event-store';
import {
  catchUpSchedules,
  dueScheduleIds,
  migrateSchedules,
  saveScheduleRow,
  toScheduleRow,
} from '@app/read-model';
import type { Pool } from 'pg';

export interface OccurrenceRunnerOptions {
  /** An occurrence's email is created this long before it. */
  readonly leadMs: number;
  /** Later than this after an occurrence, it is missed: the schedule's catchUp policy decides. */
  readonly graceMs: number;
  /** Schedules advanced per run. */
  readonly batchSize?: number;
  readonly scheduleRules?: ScheduleRules;
  /** Epoch ms; the host clock unless a test says otherwise. */
  readonly now?: () => number;
}

export interface RunReport {
  /** Occurrence emails this runner created (an email another runner created first is not counted). */
  readonly created: number;
  /** Occurrences recorded as skipped. */
  readonly skipped: number;
  /** Schedules whose advance failed (the store down...): retried at the next run. */
  readonly failed?: readonly { readonly scheduleId: string; readonly error: unknown }[];
}

const DEFAULT_BATCH = 500;
/** Steps on one schedule per run: a catch-up of many missed occurrences goes on at the next run. */
const MAX_STEPS_PER_SCHEDULE = 1_000;
/** Catch-up pages per run: a long backlog of schedule events does not hold up due occurrences for long. */
const MAX_CATCH_UP_PAGES = 10;

export class OccurrenceRunner {
  private readonly schedules: ScheduleStreams;
  private readonly emails: EmailStreams;
  private readonly now: () => number;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly options: OccurrenceRunnerOptions,
  ) {
    this.schedules = new ScheduleStreams(store);
    this.emails = new EmailStreams(store);
    this.now = options.now ?? Date.now;
  }

  migrate(): Promise<void> {
    return migrateSchedules(this.pool);
  }

  /** Folds new schedule events into the table, then advances every schedule with an occurrence due. */
  async runOnce(): Promise<RunReport> {
    for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
      if ((await catchUpSchedules(this.pool, this.store)) === 0) break;
    }
    const due = await dueScheduleIds(
      this.pool,
      this.now() + this.options.leadMs,
      this.options.batchSize ?? DEFAULT_BATCH,
    );
    let created = 0;
    let skipped = 0;
    const failed: { scheduleId: string; error: unknown }[] = [];
    // Each runner starts somewhere else in the list, so runners at work together mostly take different
    // schedules rather than racing each other down the same order.
    const start = Math.floor(Math.random() * due.length);
    for (const scheduleId of [...due.slice(start), ...due.slice(0, start)]) {
      // One schedule failing does not hold up the others (their occurrences would be missed meanwhile).
      try {
        const report = await this.advance(scheduleId);
        created += report.created;
        skipped += report.skipped;
      } catch (error) {
        failed.push({ scheduleId, error });
      }
    }
    return failed.length === 0 ? { created, skipped } : { created, skipped, failed };
  }

  /** Creates (or skips) every occurrence of one schedule that is due now, and leaves its row current. */
  async advance(scheduleId: string): Promise<RunReport> {
    let created = 0;
    let skipped = 0;
    for (let steps = 0; steps < MAX_STEPS_PER_SCHEDULE; steps++) {
      const loaded = await this.schedules.load(scheduleId);
      const nowMs = this.now();
      const step = occurrenceStep(loaded.state, nowMs, this.options.leadMs, this.options.graceMs);
      if (step.kind === 'none' || step.kind === 'wait' || loaded.state.status === 'initial') {
        await this.saveRow(loaded);
        break;
      }
      const now = formatInstant(nowMs);
      let events: readonly ScheduleEvent[];
      if (step.kind === 'skip') {
        events = decideSchedule(
          { type: 'SkipOccurrences', data: { now, graceMs: this.options.graceMs } },
          loaded.state,
          this.options.scheduleRules,
        );
      } else {
        const emailId = occurrenceEmailId(scheduleId, step.occurrenceAt);
        // The email first: a crash after it leaves an email the next run finds there (and records), never
        // a recorded occurrence without its email.
        const made = await this.createEmail(loaded.state, step.occurrenceAt, emailId, now);
        if (made === 'created') created++;
        events =
          typeof made === 'object'
            ? decideSchedule(
                {
                  type: 'SkipOccurrences',
                  data: {
                    now,
                    graceMs: this.options.graceMs,
                    invalid: { occurrenceAt: step.occurrenceAt, detail: made.refused },
                  },
                },
                loaded.state,
                this.options.scheduleRules,
              )
            : decideSchedule(
                {
                  type: 'RecordOccurrence',
                  data: { occurrenceAt: step.occurrenceAt, emailId, now },
                },
                loaded.state,
                this.options.scheduleRules,
              );
      }
      if (events.length === 0) {
        await this.saveRow(loaded);
        break;
      }
      try {
        const written = await this.schedules.append(loaded, events);
        const row = toScheduleRow(scheduleId, written.state, written.revision);
        if (row) await saveScheduleRow(this.pool, row);
      } catch (error) {
        // Another runner moved the schedule first: read it again and see what is left to do.
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
      for (const event of events)
        if (event.type === 'OccurrencesSkipped') skipped += event.data.count;
    }
    return { created, skipped };
  }

  /**
   * 'created' by this call; 'exists' from another runner or a run that crashed before recording the
   * occurrence; or the refusal of the email's own rules (the occurrence is then skipped, with why).
   */
  private async createEmail(
    live: LiveScheduleState,
    occurrenceAt: string,
    emailId: string,
    now: string,
  ): Promise<'created' | 'exists' | { refused: string }> {
    let events;
    try {
      events = decide(occurrenceEmail(live.schedule, occurrenceAt, emailId, now), initialState);
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ForbiddenError) {
        return { refused: error.message };
      }
      throw error;
    }
    try {
      await this.emails.append(this.emails.fresh(emailId), events, {
        scheduleId: live.schedule.scheduleId,
      });
      return 'created';
    } catch (error) {
      if (error instanceof ConcurrencyError) return 'exists';
      throw error;
    }
  }

  private async saveRow(loaded: LoadedSchedule): Promise<void> {
    if (typeof loaded.expectedRevision !== 'number') return;
    const row = toScheduleRow(loaded.scheduleId, loaded.state, loaded.expectedRevision);
    if (row) await saveScheduleRow(this.pool, row);
  }
}
