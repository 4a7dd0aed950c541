// What a sender key sees of its own emails. Admins see the service's internals (which worker claimed an
// attempt, the relay's own words, where in the store a row is); a sender sees its emails without them:
// worker ids name our hosts and processes, a relay's text is an upstream's internals, and the category
// position is a counter shared by every tenant, so watching it move reveals the others' volume. What holds
// internals (an attempt, a sent email, a failure, a read-model row) is mapped by allow-list: a field added
// there stays hidden from senders until it is listed here.
import {
  type EmailEvent,
  type LastError,
  isEmailEventType,
  senderEventData,
  senderFailure,
} from '@app/domain';
import type { EmailHistory, EmailStateView, HistoryEventView } from './email-history.view';
import type { EmailPage, EmailView } from './email.view';

function senderLastError(lastError: LastError): LastError {
  return { ...senderFailure(lastError), attempt: lastError.attempt, at: lastError.at };
}

function senderEvent(event: HistoryEventView): HistoryEventView {
  // The history handler folds every event it answers, so an unknown type never reaches here; should
  // one, a sender sees that it happened and none of its payload.
  const data = isEmailEventType(event.type)
    ? senderEventData({ type: event.type, data: event.data } as EmailEvent)
    : {};
  return { ...event, data };
}

function senderState(state: EmailStateView): EmailStateView {
  switch (state.status) {
    case 'initial':
      return state;
    case 'scheduled':
    case 'paused':
    case 'cancelled':
    case 'expired': {
      const { lastError, ...rest } = state;
      return lastError === undefined ? rest : { ...rest, lastError: senderLastError(lastError) };
    }
    case 'failed':
      return { ...state, lastError: senderLastError(state.lastError) };
    case 'attempting': {
      const { email, attempt, attemptsMade, claimedAt, leaseUntil, lastError, inDoubtCount } =
        state;
      return {
        status: 'attempting',
        email,
        attempt,
        attemptsMade,
        claimedAt,
        leaseUntil,
        ...(lastError === undefined ? {} : { lastError: senderLastError(lastError) }),
        ...(inDoubtCount === undefined ? {} : { inDoubtCount }),
      };
    }
    case 'sent': {
      const { email, attemptsMade, sentAt, messageId } = state;
      return { status: 'sent', email, attemptsMade, sentAt, messageId };
    }
    default: {
      const unknownState: never = state;
      void unknownState;
      return { status: 'initial' };
    }
  }
}

/** `GET /v1/emails/:id/history` for a sender. Stream revisions stay: they count the email's own events. */
export function toSenderHistory(history: EmailHistory): EmailHistory {
  return { ...history, events: history.events.map(senderEvent), state: senderState(history.state) };
}

/** `GET /v1/emails/:id` for a sender: no category position, the failure's reason instead of its text. */
export function toSenderEmailView(view: EmailView): EmailView {
  return {
    id: view.id,
    tenant: view.tenant,
    status: view.status,
    from: view.from,
    to: view.to,
    cc: view.cc,
    bcc: view.bcc,
    subject: view.subject,
    tags: view.tags,
    sendAt: view.sendAt,
    requestedSendAt: view.requestedSendAt,
    dueAt: view.dueAt,
    maxAttempts: view.maxAttempts,
    attempts: view.attempts,
    lastError: view.lastError === null ? null : senderLastError(view.lastError),
    sentAt: view.sentAt,
    messageId: view.messageId,
    cancelledAt: view.cancelledAt,
    failedAt: view.failedAt,
    ...pick(view, [
      'timeZone',
      'localSendAt',
      'deliveryWindow',
      'expiresAt',
      'batchId',
      'scheduleId',
      'occurrenceAt',
      'pausedAt',
      'expiredAt',
      'expiryReason',
      'replyTo',
      'headers',
      'metadata',
      'attachments',
      'attachmentsPurgedAt',
      'template',
    ]),
    revision: view.revision,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

/** The listed optional fields of `view` that it has. */
function pick<K extends keyof EmailView>(view: EmailView, keys: readonly K[]): Pick<EmailView, K> {
  const picked: Partial<Pick<EmailView, K>> = {};
  for (const key of keys) if (view[key] !== undefined) picked[key] = view[key];
  return picked as Pick<EmailView, K>;
}

/** `GET /v1/emails` for a sender: each item as `GET /v1/emails/:id` shows it. */
export function toSenderEmailPage(page: EmailPage): EmailPage {
  return { ...page, items: page.items.map(toSenderEmailView) };
}
