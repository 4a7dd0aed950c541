// One ordinary email and the events of its life, so each spec states only what differs from the ordinary.

import type {
  CancelEmail,
  ClaimSendAttempt,
  DeferSend,
  EditEmailContent,
  ExpireEmail,
  PauseEmail,
  PurgeAttachments,
  RecordSendFailure,
  RecordSendSuccess,
  RescheduleEmail,
  ResolveInDoubt,
  ResumeEmail,
  RetryEmail,
  ScheduleEmail,
} from '../email-commands';
import type {
  EmailAttachmentsPurged,
  EmailCancelled,
  EmailContentEdited,
  EmailDeferred,
  EmailEvent,
  EmailExpired,
  EmailFailed,
  EmailPaused,
  EmailResumed,
  EmailRetryRequested,
  EmailRescheduled,
  EmailScheduled,
  EmailSendAttempted,
  EmailSendInDoubt,
  EmailSent,
  InDoubtFailReason,
  SendFailure,
} from '../email-events';
import type { EmailStatus } from '../email-state';

export const EMAIL_ID = '0190c0de-0000-7000-8000-000000000001';
export const TENANT_ID = 'tenant-acme';
/** When the ordinary email is scheduled. */
export const SCHEDULED_AT = '2030-01-01T09:00:00.000Z';
/** When it is due: an hour later. */
export const SEND_AT = '2030-01-01T10:00:00.000Z';
export const LEASE_MS = 60_000;

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

export function scheduleEmail(overrides: Partial<ScheduleEmail['data']> = {}): ScheduleEmail {
  return {
    type: 'ScheduleEmail',
    data: {
      emailId: EMAIL_ID,
      tenantId: TENANT_ID,
      from: 'Acme Billing <billing@acme.example>',
      to: ['jane@example.com'],
      subject: 'Your invoice',
      text: 'Please find your invoice attached.',
      sendAt: SEND_AT,
      // Who may send from what has specs of its own; the others schedule as an admin would.
      senderIdentity: { kind: 'any' },
      now: SCHEDULED_AT,
      ...overrides,
    },
  };
}

export function emailScheduled(overrides: Partial<EmailScheduled['data']> = {}): EmailScheduled {
  return {
    type: 'EmailScheduled',
    data: {
      emailId: EMAIL_ID,
      tenantId: TENANT_ID,
      from: { address: 'billing@acme.example', name: 'Acme Billing' },
      to: [{ address: 'jane@example.com' }],
      cc: [],
      bcc: [],
      subject: 'Your invoice',
      text: 'Please find your invoice attached.',
      requestedSendAt: SEND_AT,
      sendAt: SEND_AT,
      maxAttempts: 5,
      tags: [],
      scheduledAt: SCHEDULED_AT,
      ...overrides,
    },
  };
}

export const rescheduleEmail = (sendAt: string, now = SCHEDULED_AT): RescheduleEmail => ({
  type: 'RescheduleEmail',
  data: { sendAt, now },
});

export const emailRescheduled = (
  sendAt: string,
  previousSendAt = SEND_AT,
  rescheduledAt = SCHEDULED_AT,
): EmailRescheduled => ({
  type: 'EmailRescheduled',
  data: { sendAt, previousSendAt, rescheduledAt },
});

export const cancelEmail = (data: Partial<CancelEmail['data']> = {}): CancelEmail => ({
  type: 'CancelEmail',
  data: { now: SCHEDULED_AT, ...data },
});

export const emailCancelled = (cancelledAt = SCHEDULED_AT, reason?: string): EmailCancelled => ({
  type: 'EmailCancelled',
  data: reason === undefined ? { cancelledAt } : { cancelledAt, reason },
});

export const claimSendAttempt = (
  data: Partial<ClaimSendAttempt['data']> = {},
): ClaimSendAttempt => ({
  type: 'ClaimSendAttempt',
  data: { workerId: 'worker-1', jobId: 'job-1', now: SEND_AT, leaseMs: LEASE_MS, ...data },
});

export const emailSendAttempted = (
  attempt = 1,
  claimedAt = SEND_AT,
  data: Partial<EmailSendAttempted['data']> = {},
): EmailSendAttempted => ({
  type: 'EmailSendAttempted',
  data: {
    attempt,
    workerId: 'worker-1',
    jobId: 'job-1',
    claimedAt,
    leaseUntil: plus(claimedAt, LEASE_MS),
    ...data,
  },
});

export const recordSendSuccess = (now = plus(SEND_AT, 2 * SECOND)): RecordSendSuccess => ({
  type: 'RecordSendSuccess',
  data: { messageId: `<${EMAIL_ID}@acme.example>`, response: '250 2.0.0 Ok: queued as 4B7', now },
});

export const emailSent = (attempt = 1, sentAt = plus(SEND_AT, 2 * SECOND)): EmailSent => ({
  type: 'EmailSent',
  data: {
    attempt,
    messageId: `<${EMAIL_ID}@acme.example>`,
    response: '250 2.0.0 Ok: queued as 4B7',
    sentAt,
  },
});

export const TRANSIENT: SendFailure = {
  kind: 'transient',
  code: 451,
  message: '451 4.7.1 Greylisted, try again later',
};
export const PERMANENT: SendFailure = {
  kind: 'permanent',
  code: 550,
  message: '550 5.1.1 No such user',
};
export const RELAY_DOWN: SendFailure = {
  kind: 'relay-unavailable',
  errorCode: 'ECONNREFUSED',
  message: 'connect ECONNREFUSED 10.0.0.25:587',
};

export const recordSendFailure = (
  failure: SendFailure,
  data: Partial<Omit<RecordSendFailure['data'], 'failure'>> = {},
): RecordSendFailure => ({
  type: 'RecordSendFailure',
  data: { failure, now: plus(SEND_AT, 2 * SECOND), random: 0, ...data },
});

/** A failure to be retried at `retryAt`. */
export const emailFailed = (
  attempt: number,
  failure: SendFailure,
  retryAt: string,
  failedAt = plus(SEND_AT, 2 * SECOND),
): EmailFailed => ({
  type: 'EmailFailed',
  data: {
    attempt,
    failure,
    final: false,
    retryAt,
    failedAt,
    countsAsAttempt: failure.kind !== 'relay-unavailable',
  },
});

export const emailFailedFinally = (
  attempt: number,
  failure: SendFailure,
  failedAt = plus(SEND_AT, 2 * SECOND),
): EmailFailed => ({
  type: 'EmailFailed',
  data: { attempt, failure, final: true, failedAt, countsAsAttempt: true },
});

export const deferSend = (until: string, data: Partial<DeferSend['data']> = {}): DeferSend => ({
  type: 'DeferSend',
  data: { until, limit: 'sender', now: SEND_AT, ...data },
});

export const emailDeferred = (
  until: string,
  limit: EmailDeferred['data']['limit'] = 'sender',
  deferredAt = SEND_AT,
): EmailDeferred => ({ type: 'EmailDeferred', data: { until, limit, deferredAt } });

export const resolveInDoubt = (
  now: string,
  policy: ResolveInDoubt['data']['policy'] = 'resend',
): ResolveInDoubt => ({ type: 'ResolveInDoubt', data: { now, policy } });

export const emailSendInDoubtResent = (
  attempt: number,
  detectedAt: string,
  leaseUntil = plus(SEND_AT, LEASE_MS),
  inDoubtCount = 1,
): EmailSendInDoubt => ({
  type: 'EmailSendInDoubt',
  data: {
    attempt,
    leaseUntil,
    detectedAt,
    countsAsAttempt: false,
    inDoubtCount,
    resolution: 'resend',
    retryAt: detectedAt,
  },
});

export const emailSendInDoubtFailed = (
  attempt: number,
  detectedAt: string,
  leaseUntil = plus(SEND_AT, LEASE_MS),
  reason: InDoubtFailReason = 'policy',
  inDoubtCount = 1,
): EmailSendInDoubt => ({
  type: 'EmailSendInDoubt',
  data: {
    attempt,
    leaseUntil,
    detectedAt,
    countsAsAttempt: false,
    inDoubtCount,
    resolution: 'fail',
    reason,
  },
});

export const pauseEmail = (
  now = SCHEDULED_AT,
  data: Partial<PauseEmail['data']> = {},
): PauseEmail => ({
  type: 'PauseEmail',
  data: { now, ...data },
});

export const emailPaused = (
  pausedAt = SCHEDULED_AT,
  data: Partial<EmailPaused['data']> = {},
): EmailPaused => ({
  type: 'EmailPaused',
  data: { pausedAt, ...data },
});

export const resumeEmail = (now: string): ResumeEmail => ({ type: 'ResumeEmail', data: { now } });

export const emailResumed = (resumedAt: string, dueAt: string): EmailResumed => ({
  type: 'EmailResumed',
  data: { resumedAt, dueAt },
});

export const expireEmail = (now: string): ExpireEmail => ({ type: 'ExpireEmail', data: { now } });

export const emailExpired = (
  expiredAt: string,
  expiresAt: string,
  reason: EmailExpired['data']['reason'] = 'deadline-passed',
  nextChanceAt?: string,
): EmailExpired => ({
  type: 'EmailExpired',
  data: {
    expiredAt,
    expiresAt,
    reason,
    ...(nextChanceAt === undefined ? {} : { nextChanceAt }),
  },
});

export const retryEmail = (now: string, reason?: string): RetryEmail => ({
  type: 'RetryEmail',
  data: reason === undefined ? { now } : { now, reason },
});

export const emailRetryRequested = (
  requestedAt: string,
  previousAttempts = 1,
  reason?: string,
): EmailRetryRequested => ({
  type: 'EmailRetryRequested',
  data: {
    requestedAt,
    dueAt: requestedAt,
    previousAttempts,
    ...(reason === undefined ? {} : { reason }),
  },
});

export const editEmailContent = (
  changes: EditEmailContent['data']['changes'],
  now = SCHEDULED_AT,
): EditEmailContent => ({ type: 'EditEmailContent', data: { changes, now } });

export const emailContentEdited = (
  changes: EmailContentEdited['data']['changes'],
  data: Partial<EmailContentEdited['data']> = {},
): EmailContentEdited => ({
  type: 'EmailContentEdited',
  data: { editedAt: SCHEDULED_AT, changes, ...data },
});

export const purgeAttachments = (now: string, retentionMs = DAY): PurgeAttachments => ({
  type: 'PurgeAttachments',
  data: { now, retentionMs },
});

export const emailAttachmentsPurged = (
  purgedAt: string,
  sha256: readonly string[] = [ATTACHMENT.sha256],
): EmailAttachmentsPurged => ({
  type: 'EmailAttachmentsPurged',
  data: { purgedAt, sha256, retentionMs: DAY },
});

/** A stored file's record: what the api hands the domain once it has kept the bytes. */
export const ATTACHMENT = {
  filename: 'invoice.pdf',
  contentType: 'application/pdf',
  size: 1234,
  sha256: 'a'.repeat(64),
} as const;

/** A shortest history that ends in each status. */
export const HISTORY: { readonly [Status in EmailStatus]: readonly EmailEvent[] } = {
  initial: [],
  scheduled: [emailScheduled()],
  attempting: [emailScheduled(), emailSendAttempted(1)],
  sent: [emailScheduled(), emailSendAttempted(1), emailSent(1)],
  failed: [emailScheduled(), emailSendAttempted(1), emailFailedFinally(1, PERMANENT)],
  cancelled: [emailScheduled(), emailCancelled()],
  paused: [emailScheduled(), emailPaused()],
  expired: [emailScheduled(), emailExpired(SEND_AT, SEND_AT)],
};
