// Folds a schedule's facts into its state. Like the email's evolve: never throws, and an event that cannot
// follow the current state leaves it as it was.

import { formatInstant, requireInstant } from '../instant';
import type { ScheduleEvent } from './schedule-events';
import { initialScheduleState, type ScheduleState } from './schedule-state';

export function evolveSchedule(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  switch (event.type) {
    case 'ScheduleCreated': {
      if (state.status !== 'initial') return state;
      const { startAt, createdAt } = event.data;
      // Occurrences before the schedule existed were never wanted, so they are never "missed" either.
      const firstMs = Math.max(
        requireInstant(startAt, 'startAt'),
        requireInstant(createdAt, 'createdAt'),
      );
      return {
        status: 'active',
        schedule: event.data,
        cursor: formatInstant(firstMs - 1),
        occurrencesCreated: 0,
        occurrencesSkipped: 0,
      };
    }
    case 'SchedulePaused':
      return state.status === 'active' ? { ...state, status: 'paused' } : state;
    case 'ScheduleResumed': {
      if (state.status !== 'paused') return state;
      const resumedMs = requireInstant(event.data.resumedAt, 'resumedAt');
      const cursorMs = Math.max(requireInstant(state.cursor, 'cursor'), resumedMs - 1);
      return { ...state, status: 'active', cursor: formatInstant(cursorMs) };
    }
    case 'ScheduleDeleted':
      return state.status === 'initial' ? state : { ...state, status: 'deleted' };
    case 'OccurrenceScheduled':
      if (state.status === 'initial') return state;
      return {
        ...state,
        cursor: event.data.occurrenceAt,
        lastOccurrenceAt: event.data.occurrenceAt,
        occurrencesCreated: state.occurrencesCreated + 1,
      };
    case 'OccurrencesSkipped':
      if (state.status === 'initial') return state;
      return {
        ...state,
        cursor: event.data.to,
        occurrencesSkipped: state.occurrencesSkipped + event.data.count,
      };
    default: {
      const unknownEvent: never = event;
      throw new TypeError(`unknown schedule event ${JSON.stringify(unknownEvent)}`);
    }
  }
}

export function replaySchedule(
  events: readonly ScheduleEvent[],
  from: ScheduleState = initialScheduleState,
): ScheduleState {
  return events.reduce(evolveSchedule, from);
}
