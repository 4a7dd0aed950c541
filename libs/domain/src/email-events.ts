// The facts of an email's life. Payloads are stored as JSON in the event store and replayed forever, so every
// field is plain data (ISO-8601 strings for instants) and a released shape may only be extended compatibly.

/** Bumped only by an incompatible change, which the rule above forbids; stored beside each payload. */
export const EMAIL_EVENT_SCHEMA_VERSION = 1;

export interface Address {
  readonly address: string;
  readonly name?: string;
}

export type FailureKind = 'transient' | 'permanent' | 'relay-unavailable';

export interface SendFailure {
  readonly kind: FailureKind;
  /** SMTP reply code, when the relay answered. */
  readonly code?: number;
  /** Transport error code such as 'ETIMEDOUT', when the failure happened below SMTP. */
  readonly errorCode?: string;
  readonly message: string;
}

/** Which send rate bound a deferral: per (tenant, sender), per tenant, over all tenants, or the minimum gap. */
export type RateLimitKind = 'sender' | 'tenant' | 'global' | 'min-gap';

/** What moved an email later: a send rate, or its delivery window being closed at its due time. */
export type DeferralCause = RateLimitKind | 'delivery-window';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * When an email may go out, in its zone's wall-clock time: on `days`, from `start` to `end` ("HH:MM", 24 h).
 * An `end` at or before `start` crosses midnight: the window opens on a listed day and closes the next morning.
 */
export interface DeliveryWindow {
  readonly timeZone: string;
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

/** Why an email ended expired: its deadline passed, or the next chance to send came after it. */
export type ExpiryReason =
  /** The deadline passed before the email could be sent (an outage, throttling, a pause). */
  | 'deadline-passed'
  /** A retry after a failed attempt would have come after the deadline. */
  | 'retry-after-deadline'
  /** A rate limit's next free slot came after the deadline. */
  | 'rate-limit-after-deadline'
  /** The delivery window's next opening came after the deadline. */
  | 'window-after-deadline';

export type InDoubtResolution = 'resend' | 'fail';

interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

export type EmailScheduled = Event<
  'EmailScheduled',
  {
    readonly emailId: string;
    readonly tenantId: string;
    readonly from: Address;
    readonly to: readonly Address[];
    readonly cc: readonly Address[];
    readonly bcc: readonly Address[];
    readonly subject: string;
    readonly text?: string;
    readonly html?: string;
    /** What the owner asked for; kept apart from sendAt so lateness and audits can tell the two apart. */
    readonly requestedSendAt: string;
    /** max(requestedSendAt, scheduledAt): a time in the past means "send now". */
    readonly sendAt: string;
    readonly maxAttempts: number;
    readonly tags: readonly string[];
    readonly scheduledAt: string;
    readonly idempotencyKey?: string;
    /**
     * Set when sendAt was asked as a wall-clock time (no offset) in this IANA zone: `localSendAt` is that
     * wall-clock time as asked, `requestedSendAt` the instant it resolved to (rules/local-time.ts).
     */
    readonly timeZone?: string;
    readonly localSendAt?: string;
    readonly deliveryWindow?: DeliveryWindow;
    /** Send-by deadline: no attempt starts at or after it; the email ends `expired` instead. */
    readonly expiresAt?: string;
    /** The batch (POST /v1/emails/batch, a CSV import) the email came in with. */
    readonly batchId?: string;
    /** Set on an occurrence of a recurring schedule: the schedule and the occurrence's instant. */
    readonly scheduleId?: string;
    readonly occurrenceAt?: string;
  }
>;

export type EmailRescheduled = Event<
  'EmailRescheduled',
  {
    readonly sendAt: string;
    readonly previousSendAt: string;
    readonly rescheduledAt: string;
    /** Set when the new time was asked as wall-clock time in this zone (as on EmailScheduled). */
    readonly timeZone?: string;
    readonly localSendAt?: string;
  }
>;

export type EmailCancelled = Event<
  'EmailCancelled',
  { readonly cancelledAt: string; readonly reason?: string }
>;

export type EmailSendAttempted = Event<
  'EmailSendAttempted',
  {
    /** 1-based; attempts lost to an unavailable relay do not consume a number. */
    readonly attempt: number;
    readonly workerId: string;
    readonly jobId: string;
    readonly claimedAt: string;
    readonly leaseUntil: string;
  }
>;

export type EmailSent = Event<
  'EmailSent',
  {
    readonly attempt: number;
    readonly messageId: string;
    readonly response: string;
    readonly sentAt: string;
  }
>;

// A union on `final` so that a retry always knows when it is due; `retryAt?: undefined` keeps
// `data.retryAt` readable without narrowing.
export type EmailFailed = Event<
  'EmailFailed',
  {
    readonly attempt: number;
    readonly failure: SendFailure;
    readonly failedAt: string;
    readonly countsAsAttempt: boolean;
  } & (
    | { readonly final: true; readonly retryAt?: undefined }
    | { readonly final: false; readonly retryAt: string }
  )
>;

export type EmailDeferred = Event<
  'EmailDeferred',
  { readonly until: string; readonly limit: DeferralCause; readonly deferredAt: string }
>;

/** Held by its owner (one email, a batch, a filter): no attempt starts until it is resumed. */
export type EmailPaused = Event<
  'EmailPaused',
  {
    readonly pausedAt: string;
    readonly reason?: string;
    readonly batchId?: string;
    /**
     * The email's send-by deadline, copied from EmailScheduled: the scheduler plans its jobs from events
     * alone, and a paused email still needs one at its deadline to end `expired` without a resume.
     */
    readonly expiresAt?: string;
  }
>;

/** Released: due again at `dueAt`, the due time it had when paused or now, whichever is later. */
export type EmailResumed = Event<
  'EmailResumed',
  { readonly resumedAt: string; readonly dueAt: string; readonly batchId?: string }
>;

/** The send-by deadline won: the email is final and never sent. */
export type EmailExpired = Event<
  'EmailExpired',
  {
    readonly expiredAt: string;
    readonly expiresAt: string;
    readonly reason: ExpiryReason;
    /** The time the email would next have been tried, when that is what came after the deadline. */
    readonly nextChanceAt?: string;
  }
>;

/** A failed email given a new attempt budget by its owner: scheduled again at `dueAt`. */
export type EmailRetryRequested = Event<
  'EmailRetryRequested',
  {
    readonly requestedAt: string;
    readonly dueAt: string;
    /** Attempts the failed email had made; the new budget starts at 0 of maxAttempts. */
    readonly previousAttempts: number;
    readonly reason?: string;
    /** Set when the email had failed in doubt and the owner accepted a possible duplicate. */
    readonly resendInDoubt?: true;
  }
>;

/** Why an in-doubt attempt ended the email: the operator's policy, or too many in-doubt attempts in a row. */
export type InDoubtFailReason = 'policy' | 'in-doubt-limit';

export type EmailSendInDoubt = Event<
  'EmailSendInDoubt',
  {
    readonly attempt: number;
    readonly leaseUntil: string;
    readonly detectedAt: string;
    /**
     * Whether the attempt uses up one of maxAttempts. False since ADR 0006: an attempt whose outcome nobody
     * saw is not the relay refusing the email. Absent in older events, where it counted.
     */
    readonly countsAsAttempt?: boolean;
    /** In-doubt resolutions in a row, this one included (absent in older events). */
    readonly inDoubtCount?: number;
  } & (
    | { readonly resolution: 'resend'; readonly retryAt: string }
    | {
        readonly resolution: 'fail';
        readonly retryAt?: undefined;
        /** Absent in older events (then the policy, or the last allowed attempt). */
        readonly reason?: InDoubtFailReason;
      }
  )
>;

export type EmailEvent =
  | EmailScheduled
  | EmailRescheduled
  | EmailCancelled
  | EmailSendAttempted
  | EmailSent
  | EmailFailed
  | EmailDeferred
  | EmailSendInDoubt
  | EmailPaused
  | EmailResumed
  | EmailExpired
  | EmailRetryRequested;

export type EmailEventType = EmailEvent['type'];

export type EmailEventData<Type extends EmailEventType> = Extract<
  EmailEvent,
  { type: Type }
>['data'];

// A record, not an array literal, so the compiler fails here when a new event type is not listed.
const eventTypes: { readonly [Type in EmailEventType]: Type } = {
  EmailScheduled: 'EmailScheduled',
  EmailRescheduled: 'EmailRescheduled',
  EmailCancelled: 'EmailCancelled',
  EmailSendAttempted: 'EmailSendAttempted',
  EmailSent: 'EmailSent',
  EmailFailed: 'EmailFailed',
  EmailDeferred: 'EmailDeferred',
  EmailSendInDoubt: 'EmailSendInDoubt',
  EmailPaused: 'EmailPaused',
  EmailResumed: 'EmailResumed',
  EmailExpired: 'EmailExpired',
  EmailRetryRequested: 'EmailRetryRequested',
};

export const EMAIL_EVENT_TYPES: readonly EmailEventType[] = Object.freeze(
  Object.values(eventTypes),
);

/** Guards payloads read back from storage before they are treated as email events. */
export function isEmailEventType(type: string): type is EmailEventType {
  return Object.prototype.hasOwnProperty.call(eventTypes, type);
}
