// A recurring send's own stream, `schedule-<schedule id>`, and the id of each occurrence's email stream.

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  initialScheduleState,
  isScheduleEventType,
  NotFoundError,
  replaySchedule,
  SCHEDULE_EVENT_SCHEMA_VERSION,
  type ScheduleEvent,
  type ScheduleState,
} from '@app/domain';
import {
  StreamNotFoundError,
  formatPosition,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
} from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { eventId } from './email-stream.mapping';
import { uuidV5 } from './uuid-v5';

export const SCHEDULE_CATEGORY = 'schedule';

const SCHEDULE_STREAM_PREFIX = `${SCHEDULE_CATEGORY}-`;

/** Fixed namespace of the email ids of occurrences, derived from (schedule id, occurrence instant). */
const OCCURRENCE_NAMESPACE = 'c6f3e0a2-4b1d-5e8f-9a7c-2d4b6e8f0a13';

export function scheduleStreamName(scheduleId: string): string {
  return `${SCHEDULE_STREAM_PREFIX}${scheduleId}`;
}

export function scheduleIdOfStream(streamName: string): string | undefined {
  return streamName.startsWith(SCHEDULE_STREAM_PREFIX)
    ? streamName.slice(SCHEDULE_STREAM_PREFIX.length)
    : undefined;
}

/**
 * The email id of one occurrence: the same schedule and instant always name the same email stream, so every
 * runner that ever tries to create it (after a crash, racing another) writes to that one stream, and the
 * event store's 'no-stream' expectation lets exactly one of them create it. `occurrenceAt` must be canonical
 * (formatInstant), as the domain gives it.
 */
export function occurrenceEmailId(scheduleId: string, occurrenceAt: string): string {
  return uuidV5(JSON.stringify([scheduleId, occurrenceAt]), OCCURRENCE_NAMESPACE);
}

export function toScheduleEvent(recorded: RecordedEvent): ScheduleEvent {
  if (!isScheduleEventType(recorded.type)) {
    throw new TypeError(
      `Stream ${recorded.streamName} holds an unknown event type ${recorded.type} at revision ${recorded.revision}`,
    );
  }
  return { type: recorded.type, data: recorded.data } as ScheduleEvent;
}

/** A schedule's state at one revision: what a decision is made on and its append expects. */
export interface ScheduleAtRevision {
  readonly scheduleId: string;
  readonly state: ScheduleState;
  readonly expectedRevision: ExpectedRevision;
}

export interface LoadedSchedule extends ScheduleAtRevision {
  readonly events: readonly RecordedEvent[];
}

export interface ScheduleWriteResult {
  readonly state: ScheduleState;
  readonly revision: number;
  readonly position: string;
}

/** Reads and appends schedule streams: the only place schedule code meets the event store. */
@Injectable()
export class ScheduleStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(scheduleId: string): Promise<LoadedSchedule> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(scheduleStreamName(scheduleId));
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      events = [];
    }
    const last = events[events.length - 1];
    return {
      scheduleId,
      events,
      state:
        events.length === 0 ? initialScheduleState : replaySchedule(events.map(toScheduleEvent)),
      expectedRevision: last ? last.revision : 'no-stream',
    };
  }

  /** Another tenant's schedule is as unknown as a missing one. */
  async loadOwned(scheduleId: string, tenantId: string): Promise<LoadedSchedule> {
    const loaded = await this.load(scheduleId);
    if (loaded.state.status === 'initial' || loaded.state.schedule.tenantId !== tenantId) {
      throw new NotFoundError('no such schedule');
    }
    return loaded;
  }

  fresh(scheduleId: string): ScheduleAtRevision {
    return { scheduleId, state: initialScheduleState, expectedRevision: 'no-stream' };
  }

  /** Appends one decision at the revision the schedule was loaded at: a ConcurrencyError if anyone wrote since. */
  async append(
    loaded: ScheduleAtRevision,
    events: readonly ScheduleEvent[],
    metadata: Record<string, unknown> = {},
    decisionId: string = randomUUID(),
  ): Promise<ScheduleWriteResult> {
    const result = await this.store.append(
      scheduleStreamName(loaded.scheduleId),
      events.map((event, index) => ({
        id: eventId(decisionId, index),
        type: event.type,
        data: { ...event.data },
        metadata: { ...metadata, schemaVersion: SCHEDULE_EVENT_SCHEMA_VERSION },
      })),
      loaded.expectedRevision,
    );
    return {
      state: replaySchedule(events, loaded.state),
      revision: result.nextRevision,
      position: formatPosition(result.position),
    };
  }
}
