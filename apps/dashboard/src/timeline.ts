// What each event of an email's stream says, in words, for the timeline of its page.

import { formatDuration, formatInstant } from './format';
import { describeExpiry } from './groups';
import type { HistoryEvent } from './types';

export type Tone = 'neutral' | 'good' | 'bad' | 'warn';

export interface TimelineEntry {
  readonly revision: number;
  readonly title: string;
  readonly recordedAt: string;
  readonly tone: Tone;
  /** Label → value lines, as plain text. */
  readonly facts: readonly (readonly [string, string])[];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function instant(value: unknown, timeZone?: string): string | undefined {
  return typeof value === 'string' ? formatInstant(value, timeZone) : undefined;
}

function facts(...pairs: (readonly [string, string | undefined])[]): (readonly [string, string])[] {
  return pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
}

function failure(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, code, message } = value as { kind?: unknown; code?: unknown; message?: unknown };
  return [text(kind), text(code), text(message)].filter((part) => part !== undefined).join(' · ');
}

/** One timeline entry per event; unknown event types are shown by name with their raw fields. */
export function describeEvent(event: HistoryEvent, timeZone?: string): TimelineEntry {
  const d = event.data;
  const base = { revision: event.revision, recordedAt: event.recordedAt };
  switch (event.type) {
    case 'EmailScheduled':
      return {
        ...base,
        title: 'Scheduled',
        tone: 'neutral',
        facts: facts(
          ['send at', instant(d.sendAt, timeZone)],
          [
            'asked for',
            typeof d.localSendAt === 'string' && typeof d.timeZone === 'string'
              ? `${d.localSendAt} in ${d.timeZone}`
              : undefined,
          ],
          ['expires at', instant(d.expiresAt, timeZone)],
          ['max attempts', text(d.maxAttempts)],
        ),
      };
    case 'EmailRescheduled':
      return {
        ...base,
        title: 'Rescheduled',
        tone: 'neutral',
        facts: facts(
          ['from', instant(d.previousSendAt, timeZone)],
          ['to', instant(d.sendAt, timeZone)],
        ),
      };
    case 'EmailCancelled':
      return {
        ...base,
        title: 'Cancelled',
        tone: 'warn',
        facts: facts(['reason', text(d.reason)]),
      };
    case 'EmailDeferred':
      return {
        ...base,
        title:
          d.limit === 'delivery-window'
            ? 'Held until its delivery window opens'
            : 'Deferred by a rate limit',
        tone: 'warn',
        facts: facts(['limit', text(d.limit)], ['until', instant(d.until, timeZone)]),
      };
    case 'EmailSendAttempted':
      return {
        ...base,
        title: `Attempt ${text(d.attempt) ?? '?'} started`,
        tone: 'neutral',
        facts: facts(
          ['worker', text(d.workerId)],
          ['lease until', instant(d.leaseUntil, timeZone)],
        ),
      };
    case 'EmailSent':
      return {
        ...base,
        title: `Sent (attempt ${text(d.attempt) ?? '?'})`,
        tone: 'good',
        facts: facts(['message id', text(d.messageId)], ['relay said', text(d.response)]),
      };
    case 'EmailFailed':
      return {
        ...base,
        title:
          d.final === true
            ? `Failed for good (attempt ${text(d.attempt) ?? '?'})`
            : `Attempt ${text(d.attempt) ?? '?'} failed`,
        tone: d.final === true ? 'bad' : 'warn',
        facts: facts(['error', failure(d.failure)], ['next attempt', instant(d.retryAt, timeZone)]),
      };
    case 'EmailSendInDoubt':
      return {
        ...base,
        title: `Attempt ${text(d.attempt) ?? '?'} in doubt`,
        tone: 'warn',
        facts: facts(
          ['lease ended', instant(d.leaseUntil, timeZone)],
          ['resolution', text(d.resolution)],
          ['next attempt', instant(d.retryAt, timeZone)],
        ),
      };
    case 'EmailPaused':
      return {
        ...base,
        title: 'Paused',
        tone: 'warn',
        facts: facts(['reason', text(d.reason)], ['by batch', text(d.batchId)]),
      };
    case 'EmailResumed':
      return {
        ...base,
        title: 'Resumed',
        tone: 'neutral',
        facts: facts(['due at', instant(d.dueAt, timeZone)], ['by batch', text(d.batchId)]),
      };
    case 'EmailExpired':
      return {
        ...base,
        title: 'Expired: never sent',
        tone: 'bad',
        facts: facts(
          ['why', describeExpiry(text(d.reason))],
          ['deadline', instant(d.expiresAt, timeZone)],
          ['next chance was', instant(d.nextChanceAt, timeZone)],
        ),
      };
    case 'EmailRetryRequested':
      return {
        ...base,
        title: 'Retry requested',
        tone: 'neutral',
        facts: facts(
          ['reason', text(d.reason)],
          ['attempts before', text(d.previousAttempts)],
          ['due at', instant(d.dueAt, timeZone)],
        ),
      };
    case 'EmailContentEdited': {
      const changed = typeof d.changes === 'object' && d.changes !== null ? d.changes : {};
      const removed = Array.isArray(d.removed) ? d.removed.map(text) : [];
      return {
        ...base,
        title: 'Content edited',
        tone: 'neutral',
        facts: facts(
          ['changed', Object.keys(changed).join(', ') || undefined],
          ['removed', removed.join(', ') || undefined],
        ),
      };
    }
    case 'EmailAttachmentsPurged':
      return {
        ...base,
        title: "Attachments' bytes purged",
        tone: 'neutral',
        facts: facts(
          ['purged at', instant(d.purgedAt, timeZone)],
          ['after', typeof d.retentionMs === 'number' ? formatDuration(d.retentionMs) : undefined],
        ),
      };
    default:
      return {
        ...base,
        title: event.type,
        tone: 'neutral',
        facts: Object.entries(d).map(
          ([name, value]) => [name, text(value) ?? JSON.stringify(value)] as const,
        ),
      };
  }
}

/** How late the email went out against the time it was (last) due. */
export function lateness(sendAt: string, sentAt: string | null): string | undefined {
  if (sentAt === null) return undefined;
  return formatDuration(Date.parse(sentAt) - Date.parse(sendAt));
}
