// What a tenant sees of its own emails' events, wherever it sees them (the api's sender views, its webhooks):
// the service's internals left out. Worker ids name our hosts and processes and a relay's text is an
// upstream's internals; what holds internals (an attempt, a sent email, a failure) is mapped by allow-list, so
// a field added there stays hidden from tenants until it is listed here.
import type { EmailEvent, SendFailure } from './email-events';
import type { LastError } from './email-state';

/**
 * The reason a sender reads instead of the relay's text: one fixed sentence per failure kind, the
 * classification the worker already made (classifySmtpFailure, the in-doubt policy).
 */
export const FAILURE_REASONS: Readonly<Record<LastError['kind'], string>> = {
  transient: 'The receiving mail server refused the email for now (a temporary failure).',
  permanent: 'The receiving mail server refused the email for good (a permanent failure).',
  'relay-unavailable': "The service's outgoing mail relay was unavailable.",
  'in-doubt': 'The attempt was interrupted before its outcome was known.',
};

/**
 * A failure as a sender sees it: its kind and the fixed reason. The SMTP reply code stays when it is the
 * recipient's server speaking about this email; a 'relay-unavailable' code (and every transport error
 * code) is about our relay and our credentials, so it does not.
 */
export function senderFailure<Failure extends SendFailure | LastError>(
  failure: Failure,
): Pick<Failure, 'kind' | 'code' | 'message'> {
  return {
    kind: failure.kind,
    ...(failure.code !== undefined && failure.kind !== 'relay-unavailable'
      ? { code: failure.code }
      : {}),
    message: FAILURE_REASONS[failure.kind],
  };
}

/** An event's payload as a sender sees it. */
export function senderEventData(event: EmailEvent): Readonly<Record<string, unknown>> {
  switch (event.type) {
    case 'EmailScheduled':
    case 'EmailRescheduled':
    case 'EmailCancelled':
    case 'EmailDeferred':
    case 'EmailSendInDoubt':
    case 'EmailPaused':
    case 'EmailResumed':
    case 'EmailExpired':
    case 'EmailRetryRequested':
    case 'EmailContentEdited':
    case 'EmailAttachmentsPurged':
      // The owner's own words and the service's decisions about them: nothing internal.
      return event.data;
    case 'EmailSendAttempted': {
      const { attempt, claimedAt, leaseUntil } = event.data;
      return { attempt, claimedAt, leaseUntil };
    }
    case 'EmailSent': {
      const { attempt, messageId, sentAt } = event.data;
      return { attempt, messageId, sentAt };
    }
    case 'EmailFailed':
      return { ...event.data, failure: senderFailure(event.data.failure) };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return {};
    }
  }
}
