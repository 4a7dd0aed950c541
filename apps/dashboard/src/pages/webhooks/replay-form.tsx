import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../../api';
import { IssueList } from '../../components/issue-list';
import { formatInstant, viewerTimeZone } from '../../format';
import type { FieldIssue, WebhookReplayRequest, WebhookReplayResult } from '../../types';
import { replayRange } from '../../webhooks';
import { replayWebhook } from '../../webhooks-api';

/** Send again what the endpoint subscribes to of a past range of the stream, with the same message ids. */
export function ReplayForm({
  endpointId,
  onReplayed,
  onFailed,
}: {
  readonly endpointId: string;
  readonly onReplayed: (result: WebhookReplayResult) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  // A range holding more than one call replays: where the next call starts, exactly as the api said.
  const [rest, setRest] = useState<WebhookReplayRequest | undefined>();
  const issuesOf = (field: string): FieldIssue[] => issues.filter((issue) => issue.field === field);

  const other = issues.filter((issue) => issue.field !== 'since' && issue.field !== 'until');

  const replay = async (range: WebhookReplayRequest): Promise<void> => {
    setIssues([]);
    setBusy(true);
    try {
      const result = await replayWebhook(endpointId, range);
      setRest(
        result.truncated && result.nextSince !== undefined
          ? { since: result.nextSince, until: result.until }
          : undefined,
      );
      onReplayed(result);
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) setIssues(error.details);
      else onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const range = replayRange(since, until);
    if ('issues' in range) return setIssues(range.issues);
    // The api checks the rest (until not in the future, at most 31 days) and names the field.
    await replay(range);
  };

  const field = (
    name: 'since' | 'until',
    label: string,
    value: string,
    set: (v: string) => void,
  ) => (
    <div>
      <label htmlFor={`replay-${name}`}>{label}</label>
      <input
        id={`replay-${name}`}
        type="datetime-local"
        step={1}
        value={value}
        onChange={(e) => set(e.target.value)}
        {...(issuesOf(name).length > 0
          ? { 'aria-invalid': true, 'aria-describedby': `replay-${name}-error` }
          : {})}
      />
      {issuesOf(name).length > 0 && (
        <IssueList issues={issuesOf(name)} className="field-error" id={`replay-${name}-error`} />
      )}
    </div>
  );

  return (
    <form
      className="form replay-form"
      aria-label="Replay"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <p className="muted small">
        Re-sends the events of your emails recorded in this range that the endpoint subscribes to,
        with their original <code>webhook-id</code>, so a receiver that deduplicates ignores what it
        already has. Both ends are included; at most 31 days at a time. Times are in{' '}
        {viewerTimeZone()}.
      </p>
      <div className="grid-2">
        {field('since', 'Since', since, setSince)}
        {field('until', 'Until (optional, empty for now)', until, setUntil)}
      </div>
      {other.length > 0 && (
        <div className="notice notice-error" role="alert">
          <IssueList issues={other} />
        </div>
      )}
      <div className="actions">
        <button type="submit" className="button secondary" disabled={busy}>
          {busy ? 'Queueing…' : 'Replay'}
        </button>
        {rest && (
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => void replay(rest)}
          >
            Continue from {formatInstant(rest.since)}
          </button>
        )}
      </div>
    </form>
  );
}
