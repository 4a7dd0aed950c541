// What callers ask of a schedule. Time comes in with every command (`now`), as for emails.

import type { AddressInput } from '../rules/address';
import type { SenderIdentity } from '../rules/sender-identity';
import type { RecipientsInput } from '../email-commands';

interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/** The email part of a create request, unvalidated. */
export interface ScheduleEmailInput {
  readonly from: AddressInput;
  readonly to: RecipientsInput;
  readonly cc?: RecipientsInput;
  readonly bcc?: RecipientsInput;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly tags?: readonly string[];
  readonly maxAttempts?: number;
  readonly deliveryWindow?: unknown;
  readonly expiresAfter?: unknown;
}

export type CreateSchedule = Command<
  'CreateSchedule',
  {
    readonly scheduleId: string;
    readonly tenantId: string;
    readonly rrule?: unknown;
    readonly cron?: unknown;
    readonly timeZone: unknown;
    /** A wall-clock time in timeZone, or an instant with an offset. */
    readonly startAt: unknown;
    readonly until?: unknown;
    readonly catchUp?: unknown;
    readonly email: ScheduleEmailInput;
    readonly senderIdentity: SenderIdentity;
    readonly now: string;
  }
>;

export type PauseSchedule = Command<'PauseSchedule', { readonly now: string }>;
export type ResumeSchedule = Command<'ResumeSchedule', { readonly now: string }>;
export type DeleteSchedule = Command<'DeleteSchedule', { readonly now: string }>;

/** The runner created the email of the schedule's next occurrence (its id derived from the occurrence). */
export type RecordOccurrence = Command<
  'RecordOccurrence',
  { readonly occurrenceAt: string; readonly emailId: string; readonly now: string }
>;

/**
 * The runner found the next occurrences missed (more than `graceMs` before now) under catchUp 'skip', or the
 * next one already past its expiry: they are recorded as skipped, in one event.
 */
export type SkipOccurrences = Command<
  'SkipOccurrences',
  {
    readonly now: string;
    readonly graceMs: number;
    /**
     * The next occurrence, whose email its own decide refused (a window that opens only after its expiry):
     * skipped with the refusal, so one bad occurrence does not hold the schedule.
     */
    readonly invalid?: { readonly occurrenceAt: string; readonly detail: string };
  }
>;

export type ScheduleCommand =
  | CreateSchedule
  | PauseSchedule
  | ResumeSchedule
  | DeleteSchedule
  | RecordOccurrence
  | SkipOccurrences;
