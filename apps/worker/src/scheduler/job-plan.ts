// What one batch of email events means for the delayed jobs: pure, so the rule is testable without Redis.
//   - an event that makes the email due at revision r (scheduled, rescheduled, retry due, deferred, in doubt
//     with resend) → one 'send' job for (email, r) at that time;
//   - an EmailSendAttempted at r → one 'lease-check' job for (email, r) at its lease deadline;
//   - any event at r > 0 supersedes whatever job revision r − 1 had. Within a batch that job is never added
//     in the first place, so replaying a long history only adds the jobs of each email's last revision; a
//     job of an earlier batch is removed from Redis when it can still be waiting there (see leftBehind).

import { isEmailEventType, type EmailEvent } from '@app/domain';
import { toEmailEvent } from '@app/email-streams';
import type { RecordedEvent } from '@app/event-store';
import { leaseJobId, sendJobId, type SendJobData, type SendJobName } from '../queue/send-queue';

export interface PlannedJob {
  readonly name: SendJobName;
  readonly jobId: string;
  readonly data: SendJobData;
  /** Epoch milliseconds. */
  readonly runAt: number;
}

export interface JobPlan {
  readonly add: readonly PlannedJob[];
  /** Ids of jobs of earlier batches that a newer revision superseded. */
  readonly remove: readonly string[];
}

const STREAM_PREFIX = 'email-';

/** When the event makes the email due, or undefined. */
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
 * failed, in doubt), the lease check of the claim. After a reschedule, cancel or deferral, the send job.
 * Removing only that one spares Redis two removals per event that could never find anything.
 */
function leftBehind(event: EmailEvent, emailId: string, previous: number): string | undefined {
  switch (event.type) {
    case 'EmailSendAttempted':
    case 'EmailScheduled':
      return undefined;
    case 'EmailSent':
    case 'EmailFailed':
    case 'EmailSendInDoubt':
      return leaseJobId(emailId, previous);
    case 'EmailRescheduled':
    case 'EmailCancelled':
    case 'EmailDeferred':
      return sendJobId(emailId, previous);
    default: {
      const unknown: never = event;
      void unknown;
      return undefined;
    }
  }
}

export function planJobs(batch: readonly RecordedEvent[]): JobPlan {
  const add = new Map<string, PlannedJob>();
  const remove = new Set<string>();
  /** The last revision of each email seen so far in this batch. */
  const seen = new Map<string, number>();

  for (const recorded of batch) {
    if (!recorded.streamName.startsWith(STREAM_PREFIX) || !isEmailEventType(recorded.type))
      continue;
    const emailId = recorded.streamName.slice(STREAM_PREFIX.length);
    const revision = recorded.revision;
    const previous = revision - 1;
    const event = toEmailEvent(recorded);
    if (previous >= 0) {
      // Planned in this batch: just do not add it. Else a previous batch may have: remove it.
      const planned = [sendJobId(emailId, previous), leaseJobId(emailId, previous)].filter(
        (jobId) => add.delete(jobId),
      );
      const stale = leftBehind(event, emailId, previous);
      if (planned.length === 0 && seen.get(emailId) !== previous && stale) remove.add(stale);
    }
    seen.set(emailId, revision);

    const data = { emailId, revision };
    const due = dueTime(event);
    if (due !== undefined) {
      const jobId = sendJobId(emailId, revision);
      add.set(jobId, { name: 'send', jobId, data, runAt: Date.parse(due) });
    } else if (event.type === 'EmailSendAttempted') {
      const jobId = leaseJobId(emailId, revision);
      add.set(jobId, {
        name: 'lease-check',
        jobId,
        data,
        runAt: Date.parse(event.data.leaseUntil),
      });
    }
  }
  return { add: [...add.values()], remove: [...remove] };
}
