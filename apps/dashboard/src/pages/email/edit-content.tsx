import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, request } from '../../api';
import { IssueList } from '../../components/issue-list';
import { KeyValueRows } from '../../components/key-value-rows';
import { type Bodies, type ContentDraft, contentChanges, contentDraft } from '../../content-edit';
import { duplicateKeys, issuePart } from '../../message-parts';
import type { EmailView, FieldIssue, WriteResult } from '../../types';

type TextPart = Exclude<keyof ContentDraft, 'metadata'>;

const FIELDS: readonly { part: TextPart; label: string; rows?: number }[] = [
  { part: 'to', label: 'To' },
  { part: 'cc', label: 'Cc' },
  { part: 'bcc', label: 'Bcc' },
  { part: 'replyTo', label: 'Reply-To' },
  { part: 'subject', label: 'Subject' },
  { part: 'text', label: 'Text', rows: 5 },
  { part: 'html', label: 'HTML', rows: 4 },
];

/**
 * Edit a scheduled or paused email's recipients, subject, bodies and metadata: a PATCH of only what changed,
 * If-Match the revision shown. The page keys it by that revision, so a reload after any write starts it over
 * from the email as it now is.
 */
export function EditContent({
  email,
  bodies,
  revision,
  onDone,
  onFailed,
}: {
  readonly email: EmailView;
  readonly bodies: Bodies;
  readonly revision: number;
  readonly onDone: (message: string, revision: number) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const [before] = useState(() => contentDraft(email, bodies));
  const [draft, setDraft] = useState(before);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const changes = contentChanges(before, draft);
  const unchanged = Object.keys(changes).length === 0;
  // The rows show the key given twice; sent, the object would keep the last silently.
  const twice = duplicateKeys(draft.metadata).length > 0;
  const known = new Set<string>([...FIELDS.map((field) => field.part), 'metadata']);
  const issuesOf = (part: string): readonly FieldIssue[] =>
    issues.filter((issue) => issuePart(issue.field) === part);
  const otherIssues = issues.filter((issue) => !known.has(issuePart(issue.field)));

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setIssues([]);
    try {
      const { body } = await request<WriteResult>(`/v1/emails/${encodeURIComponent(email.id)}`, {
        method: 'PATCH',
        json: changes,
        headers: { 'if-match': `"${revision}"` },
      });
      onDone(`Saved: ${Object.keys(changes).join(', ')} changed.`, body.revision);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        setIssues(error.details);
      else onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <div className="email-actions">
        <button type="button" className="button secondary" onClick={() => setOpen(true)}>
          Edit content…
        </button>
      </div>
    );
  }
  return (
    <form className="form edit-content" onSubmit={(event) => void save(event)} noValidate>
      <h3>Edit content</h3>
      {issues.length > 0 && (
        <div className="notice notice-error" role="alert">
          Please fix the fields marked below.
          {otherIssues.length > 0 && <IssueList issues={otherIssues} />}
        </div>
      )}
      {email.template && (
        <p className="hint">
          Rendered from template {email.template.id}@{email.template.version}: a subject or body
          typed here replaces the rendering and leaves the template.
        </p>
      )}
      {FIELDS.map(({ part, label, rows }) => {
        const own = issuesOf(part);
        const common = {
          id: `edit-${part}`,
          value: draft[part],
          ...(own.length > 0
            ? { 'aria-invalid': true as const, 'aria-describedby': `edit-${part}-error` }
            : {}),
        };
        return (
          <div key={part}>
            <label htmlFor={`edit-${part}`}>{label}</label>
            {rows === undefined ? (
              <input {...common} onChange={(e) => setDraft({ ...draft, [part]: e.target.value })} />
            ) : (
              <textarea
                {...common}
                rows={rows}
                className={part === 'html' ? 'mono' : undefined}
                onChange={(e) => setDraft({ ...draft, [part]: e.target.value })}
              />
            )}
            {own.length > 0 && (
              <IssueList issues={own} className="field-error" id={`edit-${part}-error`} />
            )}
          </div>
        );
      })}
      <KeyValueRows
        idPrefix="edit-metadata"
        legend="Metadata"
        part="metadata"
        keyLabel="Key"
        rows={draft.metadata}
        issues={issuesOf('metadata')}
        onChange={(metadata) => setDraft({ ...draft, metadata })}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || unchanged || twice}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          Close
        </button>
        {unchanged && <span className="muted">Nothing changed yet.</span>}
      </div>
    </form>
  );
}
