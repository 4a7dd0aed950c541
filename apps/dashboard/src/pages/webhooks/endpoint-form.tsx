import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { IssueList } from '../../components/issue-list';
import type { CreatedWebhookEndpoint, FieldIssue, SubscribableEvent } from '../../types';
import { ALL_EVENTS, WEBHOOK_EVENTS, toggleEvent } from '../../webhooks';
import { createWebhook } from '../../webhooks-api';

type Field = 'url' | 'description' | 'events';
const FIELDS: readonly Field[] = ['url', 'description', 'events'];

/** `events[1]` → `events`; an issue of no field of the form goes to the banner. */
function fieldOf(issue: FieldIssue): Field | 'other' {
  const name = issue.field.split(/[[.]/)[0] ?? '';
  return (FIELDS as readonly string[]).includes(name) ? (name as Field) : 'other';
}

function invalidProps(issues: readonly FieldIssue[]): {
  'aria-invalid'?: true;
  'aria-describedby'?: string;
} {
  const field = issues[0] === undefined ? undefined : fieldOf(issues[0]);
  return field === undefined || field === 'other'
    ? {}
    : { 'aria-invalid': true, 'aria-describedby': `webhook-${field}-error` };
}

/** A new endpoint: its URL, what it is for, the events it gets. The api checks the URL is reachable safely. */
export function EndpointForm({
  onCreated,
  onCancel,
}: {
  readonly onCreated: (endpoint: CreatedWebhookEndpoint) => void;
  readonly onCancel: () => void;
}): ReactNode {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<readonly SubscribableEvent[]>([ALL_EVENTS]);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const issuesOf = (field: Field): FieldIssue[] =>
    issues.filter((issue) => fieldOf(issue) === field);
  const all = events.includes(ALL_EVENTS);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setIssues([]);
    setProblem(undefined);
    if (events.length === 0) {
      setIssues([{ field: 'events', reason: 'choose at least one event, or all' }]);
      setProblem('Please fix the fields marked below.');
      return;
    }
    setBusy(true);
    try {
      const trimmed = description.trim();
      onCreated(
        await createWebhook({
          url: url.trim(),
          events: [...events],
          ...(trimmed === '' ? {} : { description: trimmed }),
        }),
      );
    } catch (failure) {
      if (failure instanceof ApiError && failure.details.length > 0) setIssues(failure.details);
      setProblem(
        failure instanceof ApiError && failure.status === 400
          ? 'Please fix the fields marked below.'
          : errorMessage(failure),
      );
      setBusy(false);
    }
  };

  const fieldErrors = (field: Field): ReactNode =>
    issuesOf(field).length > 0 && (
      <IssueList issues={issuesOf(field)} className="field-error" id={`webhook-${field}-error`} />
    );
  const other = issues.filter((issue) => fieldOf(issue) === 'other');

  return (
    <form
      className="card form webhook-form"
      aria-label="New endpoint"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2>New endpoint</h2>
      {problem && (
        <div className="notice notice-error" role="alert">
          {problem}
          {other.length > 0 && <IssueList issues={other} />}
        </div>
      )}
      <label htmlFor="webhook-url">URL</label>
      <input
        id="webhook-url"
        type="url"
        inputMode="url"
        placeholder="https://example.com/webhooks/email"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        {...invalidProps(issuesOf('url'))}
      />
      {fieldErrors('url')}
      <p className="hint">
        http or https. Private, loopback and link-local addresses are refused unless the service
        allows them.
      </p>
      <label htmlFor="webhook-description">
        Description <span className="optional">optional</span>
      </label>
      <input
        id="webhook-description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        {...invalidProps(issuesOf('description'))}
      />
      {fieldErrors('description')}
      <fieldset
        className="events"
        {...(issuesOf('events').length > 0 ? { 'aria-describedby': 'webhook-events-error' } : {})}
      >
        <legend>Events</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={all}
            onChange={(e) => setEvents(toggleEvent(events, ALL_EVENTS, e.target.checked))}
          />
          <span>
            All events <code>*</code>
            <span className="muted block small">every type, including ones added later</span>
          </span>
        </label>
        {WEBHOOK_EVENTS.map(({ type, hint }) => (
          <label className="check" key={type}>
            <input
              type="checkbox"
              checked={all || events.includes(type)}
              disabled={all}
              onChange={(e) => setEvents(toggleEvent(events, type, e.target.checked))}
            />
            <span>
              <code>{type}</code>
              <span className="muted block small">{hint}</span>
            </span>
          </label>
        ))}
        {fieldErrors('events')}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create endpoint'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
