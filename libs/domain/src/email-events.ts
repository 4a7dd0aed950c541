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

/** A header of the owner's choosing, as asked (name case kept); rules/message-parts.ts says which may be set. */
export interface EmailHeader {
  readonly name: string;
  readonly value: string;
}

/**
 * A file sent with the email. Its bytes are not in the event (every event is kept forever, and read on every
 * fold): they are stored once per tenant, addressed by their SHA-256, and read at send time.
 */
export interface AttachmentRef {
  /** As the recipient sees it; may be any Unicode text without controls or path separators. */
  readonly filename: string;
  readonly contentType: string;
  /** Bytes. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes: the key of the stored content. */
  readonly sha256: string;
  /** Set for an inline part, which the html references as `cid:<contentId>`. */
  readonly contentId?: string;
}

/**
 * The template version an email's subject and bodies were rendered from, and the variables they were rendered
 * with. Pinned at scheduling: the event also carries the rendered text, so a later edit of the template never
 * changes an email already scheduled.
 */
export interface TemplateRef {
  readonly id: string;
  readonly version: number;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** What an edit may change (PATCH /v1/emails/:id, while the email has not gone). */
export interface EmailContent {
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly replyTo?: readonly Address[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly headers?: readonly EmailHeader[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly attachments?: readonly AttachmentRef[];
  readonly template?: TemplateRef;
}

export type ContentField = keyof EmailContent;

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
    /** Where replies go (a Reply-To header); absent: to `from`. */
    readonly replyTo?: readonly Address[];
    readonly headers?: readonly EmailHeader[];
    /** The owner's own key/value pairs: never sent to the recipient, echoed in views and webhooks. */
    readonly metadata?: Readonly<Record<string, string>>;
    readonly attachments?: readonly AttachmentRef[];
    /** Set when subject and bodies were rendered from a template (they are stored rendered, above). */
    readonly template?: TemplateRef;
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

/**
 * The owner changed what the email says or whom it goes to, before it went. Carries the new value of each field
 * it changes (rendered, when template variables changed) and names the optional ones it removes, so a fold up
 * to any revision shows the content as it was then.
 */
export type EmailContentEdited = Event<
  'EmailContentEdited',
  {
    readonly editedAt: string;
    readonly changes: Partial<EmailContent>;
    readonly removed?: readonly ContentField[];
    /**
     * When the email's job runs after the edit, which does not move it: its due time if scheduled, its deadline
     * if paused with one (as EmailPaused carries). The scheduler plans jobs from events alone, one per revision.
     */
    readonly dueAt?: string;
  }
>;

/**
 * The stored bytes of the email's attachments were deleted, a retention period after it became final. The
 * history still says what was attached (names, types, sizes, hashes); the bytes cannot be downloaded again.
 */
export type EmailAttachmentsPurged = Event<
  'EmailAttachmentsPurged',
  {
    readonly purgedAt: string;
    /** The hashes whose bytes this email no longer holds. */
    readonly sha256: readonly string[];
    readonly retentionMs: number;
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
  | EmailRetryRequested
  | EmailContentEdited
  | EmailAttachmentsPurged;

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
  EmailContentEdited: 'EmailContentEdited',
  EmailAttachmentsPurged: 'EmailAttachmentsPurged',
};

export const EMAIL_EVENT_TYPES: readonly EmailEventType[] = Object.freeze(
  Object.values(eventTypes),
);

/** Guards payloads read back from storage before they are treated as email events. */
export function isEmailEventType(type: string): type is EmailEventType {
  return Object.prototype.hasOwnProperty.call(eventTypes, type);
}
