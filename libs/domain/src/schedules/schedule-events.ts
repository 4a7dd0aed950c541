// The facts of a recurring send's life, in its own stream (`schedule-<id>`). Plain JSON like the email's
// events: instants are canonical ISO-8601 UTC strings, and a released shape may only be extended compatibly.

import type { Address, DeliveryWindow } from '../email-events';
import type { SenderIdentity } from '../rules/sender-identity';

export const SCHEDULE_EVENT_SCHEMA_VERSION = 1;

/** Exactly one of the two: an RFC 5545 RRULE (no DTSTART), or a cron expression of 5 or 6 fields. */
export type RecurrenceRule = { readonly rrule: string } | { readonly cron: string };

/** What each missed occurrence becomes: 'all' creates them (sent at once), 'skip' records and skips them. */
export type CatchUpPolicy = 'skip' | 'all';

/** The email every occurrence becomes: the fields of ScheduleEmail less ids and times, validated. */
export interface ScheduleEmailTemplate {
  readonly from: Address;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly tags: readonly string[];
  readonly maxAttempts: number;
  readonly deliveryWindow?: DeliveryWindow;
  /** ISO-8601 duration (PT2H): each occurrence's expiresAt is the occurrence plus it. */
  readonly expiresAfter?: string;
}

/**
 * Why occurrences passed without an email: missed under catchUp 'skip', already past their expiry, or an
 * email its own rules refuse (`detail` says why).
 */
export type SkipReason = 'catch-up skip' | 'expired' | 'invalid';

interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

export type ScheduleCreated = Event<
  'ScheduleCreated',
  {
    readonly scheduleId: string;
    readonly tenantId: string;
    readonly rule: RecurrenceRule;
    readonly timeZone: string;
    /** The first instant an occurrence may fall on. */
    readonly startAt: string;
    /** The wall-clock start as given, when it was given as one. */
    readonly localStartAt?: string;
    /** The last instant an occurrence may fall on. */
    readonly until?: string;
    readonly catchUp: CatchUpPolicy;
    readonly email: ScheduleEmailTemplate;
    /** Who created it may send as: every occurrence's ScheduleEmail is checked against it again. */
    readonly senderIdentity: SenderIdentity;
    readonly createdAt: string;
  }
>;

export type SchedulePaused = Event<'SchedulePaused', { readonly pausedAt: string }>;

/** Occurrences that fell while paused are not made up for: the next one after `resumedAt` is next. */
export type ScheduleResumed = Event<'ScheduleResumed', { readonly resumedAt: string }>;

export type ScheduleDeleted = Event<'ScheduleDeleted', { readonly deletedAt: string }>;

/** The occurrence's email stream exists (`emailId` derives from the schedule and the occurrence). */
export type OccurrenceScheduled = Event<
  'OccurrenceScheduled',
  { readonly occurrenceAt: string; readonly emailId: string; readonly scheduledAt: string }
>;

export type OccurrencesSkipped = Event<
  'OccurrencesSkipped',
  {
    /** The first and last occurrence skipped. */
    readonly from: string;
    readonly to: string;
    readonly count: number;
    readonly reason: SkipReason;
    /** The refusal, for reason 'invalid'. */
    readonly detail?: string;
    readonly skippedAt: string;
  }
>;

export type ScheduleEvent =
  | ScheduleCreated
  | SchedulePaused
  | ScheduleResumed
  | ScheduleDeleted
  | OccurrenceScheduled
  | OccurrencesSkipped;

export type ScheduleEventType = ScheduleEvent['type'];

export const SCHEDULE_EVENT_TYPES: readonly ScheduleEventType[] = Object.freeze([
  'ScheduleCreated',
  'SchedulePaused',
  'ScheduleResumed',
  'ScheduleDeleted',
  'OccurrenceScheduled',
  'OccurrencesSkipped',
]);

export function isScheduleEventType(type: string): type is ScheduleEventType {
  return (SCHEDULE_EVENT_TYPES as readonly string[]).includes(type);
}
