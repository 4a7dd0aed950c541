// What the email, batch and schedule pages decide without the api: which actions a status allows, what a
// batch action's report says, why an email expired, in words.

import type {
  BatchView,
  EmailStatus,
  ExpiryReason,
  GroupAction,
  GroupActionReport,
  GroupActionResult,
  HistoryEvent,
} from './types';

/** The one-email actions each status can take (the api answers 409 with its reason to any other). */
export function emailActions(status: EmailStatus): readonly ('pause' | 'resume' | 'retry')[] {
  switch (status) {
    case 'scheduled':
      return ['pause'];
    case 'paused':
      return ['resume'];
    case 'failed':
      return ['retry'];
    case 'attempting':
    case 'sent':
    case 'cancelled':
    case 'expired':
      return [];
  }
}

export const EXPIRY_REASONS: { readonly [Reason in ExpiryReason]: string } = {
  'deadline-passed': 'its deadline passed before it could be sent',
  'retry-after-deadline': 'the next retry would have come after its deadline',
  'rate-limit-after-deadline': "a rate limit's next free slot came after its deadline",
  'window-after-deadline': "its delivery window's next opening came after its deadline",
};

/** An expiry reason in words; a reason this dashboard does not know yet, as the api wrote it. */
export function describeExpiry(reason: string | null | undefined): string {
  if (!reason) return 'expired';
  return Object.hasOwn(EXPIRY_REASONS, reason) ? EXPIRY_REASONS[reason as ExpiryReason] : reason;
}

/** The reason given with the pause the email is in now: the last EmailPaused of its history. */
export function pauseReason(events: readonly HistoryEvent[]): string | undefined {
  const paused = events.findLast((event) => event.type === 'EmailPaused');
  const reason = paused?.data.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A batch's counts in the order an email moves through them. */
export const BATCH_COUNTS = [
  'pending',
  'scheduled',
  'paused',
  'attempting',
  'sent',
  'failed',
  'cancelled',
  'expired',
] as const satisfies readonly (keyof BatchView['counts'])[];

/** The batch actions some member can still take, by the counts (the api decides per email in the end). */
export function batchActions(counts: BatchView['counts']): readonly GroupAction[] {
  const actions: GroupAction[] = [];
  // Pending members are not in the read model yet: they are scheduled, as far as an action goes.
  const waiting = counts.scheduled + counts.pending;
  if (waiting + counts.paused > 0) actions.push('cancel');
  if (waiting > 0) actions.push('pause');
  if (counts.paused > 0) actions.push('resume');
  if (counts.failed > 0) actions.push('retry');
  return actions;
}

const PAST: { readonly [Action in GroupAction]: string } = {
  cancel: 'Cancelled',
  pause: 'Paused',
  resume: 'Resumed',
  retry: 'Retried',
};

/** "Paused 9,998 of 10,000 emails; 2 skipped." */
export function describeReport(report: GroupActionReport): string {
  const n = (value: number): string => value.toLocaleString('en-GB');
  const skipped = report.skipped > 0 ? `; ${n(report.skipped)} skipped` : '';
  const truncated = report.truncated
    ? ' Only the first 10,000 matching emails were acted on: run it again for the rest.'
    : '';
  return `${PAST[report.action]} ${n(report.done)} of ${n(report.total)} email${report.total === 1 ? '' : 's'}${skipped}.${truncated}`;
}

/** The skipped emails grouped by reason, the most common first: what the report page lists. */
export function skippedByReason(
  results: readonly GroupActionResult[],
): readonly { readonly reason: string; readonly emails: readonly GroupActionResult[] }[] {
  const groups = new Map<string, GroupActionResult[]>();
  for (const result of results) {
    if (result.outcome !== 'skipped') continue;
    const reason =
      result.reason ?? (result.status === null ? 'not found' : `the email is ${result.status}`);
    groups.set(reason, [...(groups.get(reason) ?? []), result]);
  }
  return [...groups]
    .map(([reason, emails]) => ({ reason, emails }))
    .sort((a, b) => b.emails.length - a.emails.length);
}
