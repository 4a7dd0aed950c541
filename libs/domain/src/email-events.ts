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
  }
>;

export type EmailRescheduled = Event<
  'EmailRescheduled',
  { readonly sendAt: string; readonly previousSendAt: string; readonly rescheduledAt: string }
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
  { readonly until: string; readonly limit: RateLimitKind; readonly deferredAt: string }
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
  | EmailSendInDoubt;

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
};

export const EMAIL_EVENT_TYPES: readonly EmailEventType[] = Object.freeze(
  Object.values(eventTypes),
);

/** Guards payloads read back from storage before they are treated as email events. */
export function isEmailEventType(type: string): type is EmailEventType {
  return Object.prototype.hasOwnProperty.call(eventTypes, type);
}
