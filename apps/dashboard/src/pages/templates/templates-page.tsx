import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { IssueList } from '../../components/issue-list';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatInstant } from '../../format';
import { issuePart } from '../../message-parts';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import { createTemplate, listTemplates, templatesPath } from '../../templates-api';
import { BLANK_CONTENT, contentRequest } from '../../templates';
import type { FieldIssue } from '../../types';
import { ContentFields } from './content-fields';

const PAGE_SIZE = 25;

/** A new template: its name and first version, a draft until published. */
function NewTemplateForm({ onCancel }: { readonly onCancel: () => void }): ReactNode {
  const { navigate } = useRouter();
  const [name, setName] = useState('');
  const [content, setContent] = useState(BLANK_CONTENT);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const nameIssues = issues.filter((issue) => issuePart(issue.field) === 'name');
  const otherIssues = issues.filter(
    (issue) => !['name', 'subject', 'text', 'html'].includes(issuePart(issue.field)),
  );
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setIssues([]);
    setProblem(undefined);
    try {
      const created = await createTemplate({ name: name.trim(), ...contentRequest(content) });
      navigate(`/templates/${encodeURIComponent(created.id)}`);
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.details);
      setProblem(
        error instanceof ApiError && error.status === 400
          ? 'Please fix the fields marked below.'
          : errorMessage(error),
      );
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={(event) => void submit(event)} noValidate>
      <h2>New template</h2>
      {problem && (
        <div className="notice notice-error" role="alert">
          {problem}
          {otherIssues.length > 0 && <IssueList issues={otherIssues} />}
        </div>
      )}
      <label htmlFor="template-name">Name</label>
      <input
        id="template-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        {...(nameIssues.length > 0
          ? { 'aria-invalid': true as const, 'aria-describedby': 'template-name-error' }
          : {})}
      />
      {nameIssues.length > 0 && (
        <IssueList issues={nameIssues} className="field-error" id="template-name-error" />
      )}
      <ContentFields
        idPrefix="new-template"
        values={content}
        issues={issues}
        onChange={setContent}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create as draft v1'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The tenant's templates, and a form for a new one. */
export function TemplatesPage(): ReactNode {
  const pages = useCursorPages();
  const path = templatesPath(pages.cursor, PAGE_SIZE);
  const list = usePolling(path, (signal) => listTemplates(path, signal), 10_000);
  const [creating, setCreating] = useState(false);
  return (
    <section className="page">
      <h1>Templates</h1>
      <p className="muted">
        A subject and bodies with <code>{'{{ name }}'}</code> placeholders, in versions: drafts
        change, a published version never does. An email pins the version it was rendered from.
      </p>
      {creating ? (
        <NewTemplateForm onCancel={() => setCreating(false)} />
      ) : (
        <div className="actions page-actions">
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New template
          </button>
        </div>
      )}
      {list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} />}
      {list.loading && <Loading label="Loading the templates…" />}
      {list.data?.items.length === 0 && (
        <Empty>
          <p>No templates yet.</p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table className="templates" columns={['Name', 'Latest', 'Published', 'Updated']}>
          {list.data.items.map((template) => (
            <tr key={template.id}>
              <td data-label="Name">
                <Link to={`/templates/${encodeURIComponent(template.id)}`} className="subject-link">
                  {template.name}
                </Link>
              </td>
              <td data-label="Latest">v{template.latestVersion}</td>
              <td data-label="Published">
                {template.publishedVersion == null ? (
                  <span className="muted">none</span>
                ) : (
                  `v${template.publishedVersion}`
                )}
              </td>
              <td data-label="Updated">{formatInstant(template.updatedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        pages={pages}
        list={list.data && { nextCursor: list.data.nextCursor ?? null }}
        previous="← Previous"
        next="Next →"
      />
    </section>
  );
}
