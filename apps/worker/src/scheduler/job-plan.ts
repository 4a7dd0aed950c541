// What one batch of email events means for the due index and the delayed jobs: pure, so the rule is testable
// without Postgres or Redis.
//   - an event that makes the email due at revision r (scheduled, rescheduled, retry due, deferred, in doubt
//     with resend) → one 'send' job for (email, r) at that time;
//   - an EmailSendAttempted at r → one 'lease-check' job for (email, r) at its lease deadline;
//   - an EmailPaused at r with a deadline → one 'send' job for (email, r) at that deadline, which finds the
//     email still paused and ends it expired (a paused email never sits paused past its deadline);
//   - an EmailContentEdited at r → the job the email had, at r: its due time, or its deadline if paused;
//   - any event at r > 0 supersedes whatever job revision r − 1 had. Within a batch only each email's last
//     revision counts (one index row, at most one job); a job of an earlier batch is removed from Redis when
//     it can still be waiting there (see leftBehind).

import { isEmailEventType, type EmailEvent } from '@app/domain';
import { emailIdOfStream, toEmailEvent } from '@app/email-streams';
import type { RecordedEvent } from '@app/event-store';
import { type SendJobData, type SendJobName } from '../queue/send-queue';
import { leaseJobId, sendJobId } from '@app/platform';

export interface PlannedJob {
  readonly name: SendJobName;
  readonly jobId: string;
  readonly data: SendJobData;
  /** Epoch milliseconds. */
  readonly runAt: number;
}

/** Where one email stands after a batch: its last revision and the job due at it, if any. */
export interface DueEntry {
  readonly emailId: string;
  readonly revision: number;
  /** Known from the batch that scheduled the email; the index keeps it from then on. */
  readonly tenantId: string | undefined;
  readonly job: PlannedJob | undefined;
}

export interface JobPlan {
  /** One entry per email the batch touched. */
  readonly due: readonly DueEntry[];
  /** Ids of jobs of earlier batches that a newer revision superseded. */
  readonly remove: readonly string[];
}

/** When the event's 'send' job runs (the email is due then, or a paused one reaches its deadline), or undefined. */
export function dueTime(event: EmailEvent): string | undefined {
  switch (event.type) {
    case 'EmailScheduled':
    case 'EmailRescheduled':
      return event.data.sendAt;
    case 'EmailFailed':
      return event.data.final ? undefined : event.data.retryAt;
    case 'EmailDeferred':
      return event.data.until;
    case 'EmailSendInDoubt':
      return event.data.resolution === 'resend' ? event.data.retryAt : undefined;
    case 'EmailResumed':
    case 'EmailRetryRequested':
      return event.data.dueAt;
    case 'EmailPaused':
      // Not due: what it has is a deadline, where its job expires it unless a resume came first.
      return event.data.expiresAt;
    case 'EmailContentEdited':
      // The same due time (or deadline) as before, at the edit's revision: the old job no longer matches.
      return event.data.dueAt;
    case 'EmailAttachmentsPurged':
    case 'EmailExpired':
    case 'EmailCancelled':
    case 'EmailSendAttempted':
    case 'EmailSent':
      return undefined;
    default: {
      const unknown: never = event;
      void unknown;
      return undefined;
    }
  }
}

/**
 * The job of revision r − 1 that may still wait in Redis once `event` (at r) has superseded it. After a
 * claim, none: the send job that claimed is running and completes by itself. After an outcome (sent,
 * failed, in doubt), the lease check of the claim. After a reschedule, cancel, deferral, pause or expiry, the
 * send job; after a resume, the paused email's deadline job (a paused email with a deadline has one). After a
 * manual retry, none: a failed email had no job waiting. Removing only that one spares Redis two removals per event that could never find anything.
 */
function leftBehind(event: EmailEvent, emailId: string, previous: number): string | undefined {
  switch (event.type) {
    case 'EmailSendAttempted':
    case 'EmailScheduled':
    case 'EmailRetryRequested':
    case 'EmailAttachmentsPurged':
      return undefined;
    case 'EmailSent':
    case 'EmailFailed':
    case 'EmailSendInDoubt':
      return leaseJobId(emailId, previous);
    case 'EmailRescheduled':
    case 'EmailCancelled':
    case 'EmailDeferred':
    case 'EmailPaused':
    case 'EmailExpired':
    case 'EmailResumed':
    case 'EmailContentEdited':
      return sendJobId(emailId, previous);
    default: {
      const unknown: never = event;
      void unknown;
      return undefined;
    }
  }
}

/** Who an email belongs to, named by the event that scheduled it. */
function tenantOf(event: EmailEvent): string | undefined {
  return event.type === 'EmailScheduled' ? event.data.tenantId : undefined;
}

function jobAt(event: EmailEvent, emailId: string, revision: number): PlannedJob | undefined {
  const data = { emailId, revision };
  const due = dueTime(event);
  if (due !== undefined) {
    return { name: 'send', jobId: sendJobId(emailId, revision), data, runAt: Date.parse(due) };
  }
  if (event.type === 'EmailSendAttempted') {
    const runAt = Date.parse(event.data.leaseUntil);
    return { name: 'lease-check', jobId: leaseJobId(emailId, revision), data, runAt };
  }
  return undefined;
}

export function planJobs(batch: readonly RecordedEvent[]): JobPlan {
  const due = new Map<string, DueEntry>();
  const remove = new Set<string>();

  for (const recorded of batch) {
    const emailId = emailIdOfStream(recorded.streamName);
    if (emailId === undefined || !isEmailEventType(recorded.type)) continue;
    const revision = recorded.revision;
    const event = toEmailEvent(recorded);
    const before = due.get(emailId);
    // The email's first event in this batch: the job a previous batch left may still wait in Redis.
    // Later ones supersede only what this batch planned, which is simply replaced.
    if (!before && revision > 0) {
      const stale = leftBehind(event, emailId, revision - 1);
      if (stale) remove.add(stale);
    }
    due.set(emailId, {
      emailId,
      revision,
      tenantId: tenantOf(event) ?? before?.tenantId,
      job: jobAt(event, emailId, revision),
    });
  }
  return { due: [...due.values()], remove: [...remove] };
}
