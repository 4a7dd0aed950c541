// A schedule's state, folded from its stream. `cursor` is where the occurrences still to come begin: the next
// one is the first strictly after it.

import type { ScheduleCreated } from './schedule-events';
import type { Recurrence } from './occurrences';

export type ScheduleStatus = 'active' | 'paused' | 'deleted';

export type ScheduleDetails = ScheduleCreated['data'];

export interface InitialScheduleState {
  readonly status: 'initial';
}

export interface LiveScheduleState {
  readonly status: ScheduleStatus;
  readonly schedule: ScheduleDetails;
  /** Occurrences strictly after this instant are still to come. */
  readonly cursor: string;
  readonly lastOccurrenceAt?: string;
  readonly occurrencesCreated: number;
  readonly occurrencesSkipped: number;
}

export type ScheduleState = InitialScheduleState | LiveScheduleState;

export const initialScheduleState: ScheduleState = Object.freeze({ status: 'initial' });

export function recurrenceOf(schedule: ScheduleDetails): Recurrence {
  return {
    rule: schedule.rule,
    timeZone: schedule.timeZone,
    startAt: schedule.startAt,
    ...(schedule.until === undefined ? {} : { until: schedule.until }),
  };
}
