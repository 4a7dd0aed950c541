// What callers ask of an email. Every command carries `now` (and, where chance is involved, `random`), so that
// decide() reads no clock and no random source: the same command on the same history always decides the same.

import type { DeferralCause, FailureKind, InDoubtResolution } from './email-events';
import type { AddressInput } from './rules/address';
import type { SenderIdentity } from './rules/sender-identity';

interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/** Accepted as one address or a list, as the HTTP API does. */
export type RecipientsInput = AddressInput | readonly AddressInput[];

export type ScheduleEmail = Command<
  'ScheduleEmail',
  {
    readonly emailId: string;
    readonly tenantId: string;
    readonly from: AddressInput;
    readonly to: RecipientsInput;
    readonly cc?: RecipientsInput;
    readonly bcc?: RecipientsInput;
    /** Optional in the request (a template renders it); absent here, it is refused as an empty one is. */
    readonly subject?: string;
    readonly text?: string;
    readonly html?: string;
    /** Unvalidated input, checked by rules/message-parts.ts like the parts below. */
    readonly replyTo?: unknown;
    /** `{ name: value }`. */
    readonly headers?: unknown;
    readonly metadata?: unknown;
    /** AttachmentRef-shaped: the api stored the bytes and computed size and hash. */
    readonly attachments?: unknown;
    /** A TemplateRef: the api rendered subject, text and html from it. */
    readonly template?: unknown;
    /** ISO-8601 with an offset, or a wall-clock time without one when `timeZone` is given; absent: now. */
    readonly sendAt?: string;
    /** IANA zone: makes an offset-less sendAt that wall-clock time there. */
    readonly timeZone?: string;
    /** Unvalidated input, checked by rules/delivery-window.ts. */
    readonly deliveryWindow?: unknown;
    /** ISO-8601 with an offset (or wall-clock in `timeZone`): the send-by deadline. */
    readonly expiresAt?: string;
    /** Minted by the api for a batch or an import, never typed by users. */
    readonly batchId?: string;
    readonly scheduleId?: string;
    readonly occurrenceAt?: string;
    readonly tags?: readonly string[];
    readonly maxAttempts?: number;
    readonly idempotencyKey?: string;
    /** Who asks decides what `from` may be: required, so that no way in can forget to say. */
    readonly senderIdentity: SenderIdentity;
    readonly now: string;
  }
>;

export type RescheduleEmail = Command<
  'RescheduleEmail',
  { readonly sendAt: string; readonly timeZone?: string; readonly now: string }
>;

/**
 * Changes to what a not-yet-sent email says, JSON merge-patch style: an absent field stays as it is, `null`
 * removes an optional part (an empty list of cc, bcc or attachments too). Parts are unvalidated input, as in
 * ScheduleEmail.
 */
export interface ContentChanges {
  readonly to?: unknown;
  readonly cc?: unknown;
  readonly bcc?: unknown;
  readonly replyTo?: unknown;
  readonly subject?: unknown;
  readonly text?: unknown;
  readonly html?: unknown;
  readonly headers?: unknown;
  readonly metadata?: unknown;
  readonly attachments?: unknown;
  /** With re-rendered subject, text and html; a literal subject or body without it leaves the template. */
  readonly template?: unknown;
}

export type EditEmailContent = Command<
  'EditEmailContent',
  { readonly changes: ContentChanges; readonly now: string }
>;

/** The attachments' bytes of a final email are deleted once `retentionMs` has passed since it became final. */
export type PurgeAttachments = Command<
  'PurgeAttachments',
  { readonly now: string; readonly retentionMs: number }
>;

export type PauseEmail = Command<
  'PauseEmail',
  { readonly now: string; readonly reason?: string; readonly batchId?: string }
>;

export type ResumeEmail = Command<
  'ResumeEmail',
  { readonly now: string; readonly batchId?: string }
>;

/** The worker, finding a due email past its deadline. */
export type ExpireEmail = Command<'ExpireEmail', { readonly now: string }>;

export type RetryEmail = Command<
  'RetryEmail',
  {
    readonly now: string;
    readonly reason?: string;
    /**
     * The owner accepts that the recipient may get the email twice: required to retry an email that failed
     * in doubt, whose last attempt may have been delivered.
     */
    readonly resendInDoubt?: boolean;
  }
>;

export type CancelEmail = Command<
  'CancelEmail',
  { readonly now: string; readonly reason?: string }
>;

export type ClaimSendAttempt = Command<
  'ClaimSendAttempt',
  {
    readonly workerId: string;
    readonly jobId: string;
    readonly now: string;
    readonly leaseMs: number;
  }
>;

export type RecordSendSuccess = Command<
  'RecordSendSuccess',
  { readonly messageId: string; readonly response: string; readonly now: string }
>;

export type RecordSendFailure = Command<
  'RecordSendFailure',
  {
    readonly failure: {
      readonly kind: FailureKind;
      readonly code?: number;
      readonly errorCode?: string;
      readonly message: string;
    };
    readonly now: string;
    /** In [0, 1): spreads retries of emails that failed together. */
    readonly random: number;
    /**
     * The earliest a retry may happen (a circuit breaker's or the relay's hint). For a transient failure the
     * backoff may push it later; for an unavailable relay it replaces the backoff, since whoever watches the
     * relay knows better than a per-email formula when it is worth trying again.
     */
    readonly retryNotBefore?: string;
  }
>;

export type DeferSend = Command<
  'DeferSend',
  { readonly until: string; readonly limit: DeferralCause; readonly now: string }
>;

export type ResolveInDoubt = Command<
  'ResolveInDoubt',
  { readonly now: string; readonly policy: InDoubtResolution }
>;

export type EmailCommand =
  | ScheduleEmail
  | EditEmailContent
  | PurgeAttachments
  | RescheduleEmail
  | CancelEmail
  | ClaimSendAttempt
  | RecordSendSuccess
  | RecordSendFailure
  | DeferSend
  | ResolveInDoubt
  | PauseEmail
  | ResumeEmail
  | ExpireEmail
  | RetryEmail;

export type EmailCommandType = EmailCommand['type'];
