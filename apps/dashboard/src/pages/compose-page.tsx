import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage, request } from '../api';
import {
  formatInstant,
  isoToLocalInput,
  localInputToIso,
  splitAddresses,
  viewerTimeZone,
} from '../format';
import { useRouter } from '../router';
import type { FieldIssue, WriteResult } from '../types';

type Field =
  'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'text' | 'html' | 'sendAt' | 'tags' | 'maxAttempts';

/** `to[2]`, `emails[0].subject` → the form field the issue belongs to. */
function fieldOf(issue: FieldIssue): Field | 'other' {
  const name = issue.field.split(/[[.]/)[0] ?? '';
  const fields: readonly string[] = [
    'from',
    'to',
    'cc',
    'bcc',
    'subject',
    'text',
    'html',
    'sendAt',
    'tags',
    'maxAttempts',
  ];
  return fields.includes(name) ? (name as Field) : 'other';
}

const QUICK_TIMES = [
  { label: 'in 10 s', ms: 10_000 },
  { label: 'in 1 h', ms: 3_600_000 },
  { label: 'in 1 day', ms: 86_400_000 },
] as const;

export function ComposePage(): ReactNode {
  const { navigate } = useRouter();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [html, setHtml] = useState('');
  const [sendAt, setSendAt] = useState(() =>
    isoToLocalInput(new Date(Date.now() + 3_600_000).toISOString()),
  );
  const [tags, setTags] = useState('');
  const [maxAttempts, setMaxAttempts] = useState('');
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // One key per email being composed: a double submit or a retry after a lost answer schedules once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const sendAtIso = localInputToIso(sendAt);
  // Editing a field takes its messages away; the banner goes with the last of them.
  const edit = (field: Field, set: (value: string) => void, value: string): void => {
    set(value);
    const left = issues.filter((issue) => fieldOf(issue) !== field);
    if (left.length === issues.length) return;
    setIssues(left);
    if (left.length === 0) setProblem(undefined);
  };
  const zone = viewerTimeZone();
  const errorsFor = (field: Field): readonly FieldIssue[] =>
    issues.filter((issue) => fieldOf(issue) === field);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setIssues([]);
    setProblem(undefined);
    if (sendAtIso === undefined) {
      setIssues([{ field: 'sendAt', reason: 'must be a date and time' }]);
      return;
    }
    const list = (value: string): string[] | undefined =>
      value.trim() === '' ? undefined : splitAddresses(value);
    const body = {
      from: from.trim(),
      to: list(to) ?? [],
      cc: list(cc),
      bcc: list(bcc),
      subject,
      text: text === '' ? undefined : text,
      html: html === '' ? undefined : html,
      sendAt: sendAtIso,
      tags:
        tags.trim() === ''
          ? undefined
          : tags
              .split(',')
              .map((tag) => tag.trim())
              .filter((tag) => tag !== ''),
      maxAttempts: maxAttempts === '' ? undefined : Number(maxAttempts),
    };
    setBusy(true);
    try {
      const { body: result } = await request<WriteResult>('/v1/emails', {
        method: 'POST',
        json: body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      setIdempotencyKey(crypto.randomUUID());
      navigate(`/emails/${result.id}?minPosition=${encodeURIComponent(result.position)}&created=1`);
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

  const fieldError = (field: Field): ReactNode => {
    const found = errorsFor(field);
    if (found.length === 0) return null;
    return (
      <ul className="field-error" id={`${field}-error`}>
        {found.map((issue) => (
          <li key={`${issue.field}:${issue.reason}`}>
            {issue.field} {issue.reason}
          </li>
        ))}
      </ul>
    );
  };
  const invalid = (field: Field): { 'aria-invalid'?: true; 'aria-describedby'?: string } =>
    errorsFor(field).length > 0
      ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` }
      : {};
  const other = issues.filter((issue) => fieldOf(issue) === 'other');

  return (
    <section className="page">
      <h1>Compose</h1>
      <form className="card form compose" onSubmit={(event) => void submit(event)} noValidate>
        {problem && (
          <div className="notice notice-error" role="alert">
            {problem}
            {other.length > 0 && (
              <ul>
                {other.map((issue) => (
                  <li key={`${issue.field}:${issue.reason}`}>
                    {issue.field} {issue.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="grid-2">
          <div>
            <label htmlFor="from">From</label>
            <input
              id="from"
              value={from}
              onChange={(e) => edit('from', setFrom, e.target.value)}
              placeholder="Ada <ada@example.com>"
              autoComplete="email"
              {...invalid('from')}
            />
            {fieldError('from')}
          </div>
          <div>
            <label htmlFor="to">To</label>
            <input
              id="to"
              value={to}
              onChange={(e) => edit('to', setTo, e.target.value)}
              placeholder="bob@example.com, carol@example.com"
              {...invalid('to')}
            />
            {fieldError('to')}
          </div>
          <div>
            <label htmlFor="cc">
              Cc <span className="optional">optional</span>
            </label>
            <input
              id="cc"
              value={cc}
              onChange={(e) => edit('cc', setCc, e.target.value)}
              {...invalid('cc')}
            />
            {fieldError('cc')}
          </div>
          <div>
            <label htmlFor="bcc">
              Bcc <span className="optional">optional</span>
            </label>
            <input
              id="bcc"
              value={bcc}
              onChange={(e) => edit('bcc', setBcc, e.target.value)}
              {...invalid('bcc')}
            />
            {fieldError('bcc')}
          </div>
        </div>
        <label htmlFor="subject">Subject</label>
        <input
          id="subject"
          value={subject}
          onChange={(e) => edit('subject', setSubject, e.target.value)}
          {...invalid('subject')}
        />
        {fieldError('subject')}
        <label htmlFor="text">Text</label>
        <textarea
          id="text"
          rows={5}
          value={text}
          onChange={(e) => edit('text', setText, e.target.value)}
          {...invalid('text')}
        />
        {fieldError('text')}
        <label htmlFor="html">
          HTML <span className="optional">optional; shown to you with scripts disabled</span>
        </label>
        <textarea
          id="html"
          rows={4}
          className="mono"
          value={html}
          onChange={(e) => edit('html', setHtml, e.target.value)}
          placeholder="<p>Hello <b>Bob</b></p>"
          {...invalid('html')}
        />
        {fieldError('html')}
        <fieldset className="send-at">
          <legend>Send at</legend>
          <div className="send-at-row">
            <input
              id="sendAt"
              type="datetime-local"
              step={1}
              aria-label={`Send at, in your timezone ${zone}`}
              value={sendAt}
              onChange={(e) => edit('sendAt', setSendAt, e.target.value)}
              {...invalid('sendAt')}
            />
            <div className="quick" role="group" aria-label="Quick times">
              {QUICK_TIMES.map((quick) => (
                <button
                  key={quick.label}
                  type="button"
                  className="button secondary small"
                  onClick={() =>
                    edit(
                      'sendAt',
                      setSendAt,
                      isoToLocalInput(new Date(Date.now() + quick.ms).toISOString()),
                    )
                  }
                >
                  {quick.label}
                </button>
              ))}
            </div>
          </div>
          <p className="hint" aria-live="polite">
            Your timezone: <strong>{zone}</strong>
            {sendAtIso && (
              <>
                {' '}
                · {formatInstant(sendAtIso)}
                {zone !== 'UTC' && zone !== 'Etc/UTC' && <> · {formatInstant(sendAtIso, 'UTC')}</>}
              </>
            )}
          </p>
          {fieldError('sendAt')}
        </fieldset>
        <div className="grid-2">
          <div>
            <label htmlFor="tags">
              Tags <span className="optional">optional, comma-separated</span>
            </label>
            <input
              id="tags"
              value={tags}
              onChange={(e) => edit('tags', setTags, e.target.value)}
              {...invalid('tags')}
            />
            {fieldError('tags')}
          </div>
          <div>
            <label htmlFor="maxAttempts">
              Max attempts <span className="optional">optional</span>
            </label>
            <input
              id="maxAttempts"
              type="number"
              min={1}
              inputMode="numeric"
              value={maxAttempts}
              onChange={(e) => edit('maxAttempts', setMaxAttempts, e.target.value)}
              {...invalid('maxAttempts')}
            />
            {fieldError('maxAttempts')}
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Scheduling…' : 'Schedule email'}
          </button>
        </div>
      </form>
    </section>
  );
}
