// What callers ask of an email. Every command carries `now` (and, where chance is involved, `random`), so that
// decide() reads no clock and no random source: the same command on the same history always decides the same.

import type { InDoubtResolution, RateLimitKind, FailureKind } from './email-events';
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
    readonly subject: string;
    readonly text?: string;
    readonly html?: string;
    /** ISO-8601 with an offset; absent means now. */
    readonly sendAt?: string;
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
  { readonly sendAt: string; readonly now: string }
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
  { readonly until: string; readonly limit: RateLimitKind; readonly now: string }
>;

export type ResolveInDoubt = Command<
  'ResolveInDoubt',
  { readonly now: string; readonly policy: InDoubtResolution }
>;

export type EmailCommand =
  | ScheduleEmail
  | RescheduleEmail
  | CancelEmail
  | ClaimSendAttempt
  | RecordSendSuccess
  | RecordSendFailure
  | DeferSend
  | ResolveInDoubt;

export type EmailCommandType = EmailCommand['type'];
