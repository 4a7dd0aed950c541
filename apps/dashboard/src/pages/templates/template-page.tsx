import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { ErrorNotice, PageLoading } from '../../components/states';
import { Table } from '../../components/table';
import { TemplatePreview, useTemplatePreview } from '../../components/template-preview';
import { VariablesEditor } from '../../components/variables-editor';
import { formatInstant } from '../../format';
import { BLANK_ROW, type VariablesDraft, variablesOf } from '../../message-parts';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import {
  addVersion,
  deleteTemplate,
  editDraft,
  getTemplate,
  publishVersion,
} from '../../templates-api';
import {
  contentRequest,
  contentValues,
  draftEditRequest,
  latestPublished,
  latestVersion,
} from '../../templates';
import type { FieldIssue, TemplateVersion } from '../../types';
import { ContentFields } from './content-fields';

/** One version: a draft to edit and publish, or a published one to read. Keyed by version by its page. */
function VersionPanel({
  templateId,
  version,
  busy,
  run,
}: {
  readonly templateId: string;
  readonly version: TemplateVersion;
  readonly busy: boolean;
  /** Runs a write; answers the api's field issues of a refusal (400) for the form to show. */
  readonly run: (
    write: () => Promise<unknown>,
    done: string,
  ) => Promise<readonly FieldIssue[] | undefined>;
}): ReactNode {
  const [values, setValues] = useState(() => contentValues(version));
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [confirming, setConfirming] = useState(false);
  const draft = version.status === 'draft';
  const save = async (): Promise<void> => {
    setIssues(
      (await run(
        () => editDraft(templateId, version.version, draftEditRequest(values)),
        `Draft v${version.version} saved.`,
      )) ?? [],
    );
  };
  const publish = async (): Promise<void> => {
    setConfirming(false);
    await run(
      () => publishVersion(templateId, version.version),
      `v${version.version} published: emails scheduled with this template now get it.`,
    );
  };
  return (
    <div className="card form">
      <h2>
        v{version.version}{' '}
        <span className={`badge badge-template-${version.status}`}>{version.status}</span>
      </h2>
      <p className="muted">
        Created {formatInstant(version.createdAt)}
        {version.publishedAt && <> · published {formatInstant(version.publishedAt)}</>}
        {!draft && ' · a published version never changes'}
      </p>
      <ContentFields
        idPrefix={`version-${version.version}`}
        values={values}
        issues={issues}
        readOnly={!draft}
        onChange={(next) => {
          setValues(next);
          setIssues([]);
        }}
      />
      {draft && (
        <div className="actions">
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void save()}
          >
            Save draft
          </button>
          {confirming ? (
            <span className="confirm" role="group" aria-label="Confirm publishing">
              <span>Publish v{version.version}? It can no longer be edited.</span>
              <button
                type="button"
                className="button primary"
                disabled={busy}
                onClick={() => void publish()}
                autoFocus
              >
                Yes, publish
              </button>
              <button
                type="button"
                className="button secondary"
                onClick={() => setConfirming(false)}
              >
                Not yet
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => setConfirming(true)}
            >
              Publish…
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** A template's saved version rendered with variables typed here. */
function PreviewPanel({
  templateId,
  version,
}: {
  readonly templateId: string;
  readonly version: number;
}): ReactNode {
  const [variables, setVariables] = useState<VariablesDraft>({ mode: 'rows', rows: [BLANK_ROW] });
  const parsed = variablesOf(variables);
  const preview = useTemplatePreview(
    templateId,
    version,
    'issue' in parsed ? undefined : parsed.variables,
  );
  return (
    <div className="card">
      <h2>Preview v{version}</h2>
      <p className="hint">The saved version: save a draft's changes to see them here.</p>
      <VariablesEditor
        idPrefix="template-preview"
        draft={variables}
        issues={'issue' in parsed ? [parsed.issue, ...preview.issues] : preview.issues}
        onChange={setVariables}
      />
      <TemplatePreview state={preview} />
    </div>
  );
}

/** One template: its versions, the chosen one to edit (a draft) or read, publish, preview, delete. */
export function TemplatePage({ id }: { readonly id: string }): ReactNode {
  const { navigate } = useRouter();
  const loaded = usePolling(`template:${id}`, (signal) => getTemplate(id, signal), null);
  const [chosen, setChosen] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (loaded.data === undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) {
      return (
        <section className="page">
          <h1>Template not found</h1>
          <p>There is no template {id} in your tenant.</p>
          <Link to="/templates">Back to the templates</Link>
        </section>
      );
    }
    return <PageLoading error={loaded.error} retry={loaded.reload} label="Loading the template…" />;
  }
  const template = loaded.data;
  const latest = latestVersion(template);
  const published = latestPublished(template);
  const shown = template.versions.find((version) => version.version === chosen) ?? latest;

  const run = async (
    write: () => Promise<unknown>,
    done: string,
  ): Promise<readonly FieldIssue[] | undefined> => {
    setBusy(true);
    setNotice(undefined);
    try {
      await write();
      setNotice({ tone: 'ok', text: done });
      loaded.reload();
      return undefined;
    } catch (error) {
      const issues = error instanceof ApiError && error.status === 400 ? error.details : [];
      setNotice({
        tone: 'error',
        text:
          error instanceof ApiError && error.status === 409
            ? `Refused: ${error.message}. The template has been reloaded.`
            : issues.length > 0
              ? 'Please fix the fields marked below.'
              : errorMessage(error),
      });
      if (issues.length === 0) loaded.reload();
      return issues;
    } finally {
      setBusy(false);
    }
  };
  const newVersion = async (): Promise<void> => {
    if (latest === undefined) return;
    await run(async () => {
      const created = await addVersion(id, contentRequest(contentValues(latest)));
      setChosen(created.version);
    }, `Draft from v${latest.version} created.`);
  };
  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await deleteTemplate(id);
      navigate('/templates');
    } catch (error) {
      setNotice({ tone: 'error', text: errorMessage(error) });
      setBusy(false);
      setConfirmDelete(false);
    }
  };

  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/templates">← Templates</Link>
      </p>
      <div className="title-row">
        <h1>{template.name}</h1>
        <span className="muted mono">{template.id}</span>
      </div>
      {notice && (
        <p
          className={`notice ${notice.tone === 'ok' ? 'notice-ok' : 'notice-error'}`}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      {loaded.error !== undefined && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <p>
        Scheduling without a version uses{' '}
        {published ? <strong>v{published.version}</strong> : 'nothing yet: publish a version first'}
        .
      </p>
      <div className="actions page-actions">
        <button
          type="button"
          className="button secondary"
          disabled={busy || latest === undefined}
          onClick={() => void newVersion()}
        >
          New version from the latest{latest && ` (v${latest.version})`}
        </button>
        {confirmDelete ? (
          <span className="confirm" role="group" aria-label="Confirm deletion">
            <span>
              Delete this template? Emails already scheduled keep what they were rendered to.
            </span>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => void remove()}
              autoFocus
            >
              Yes, delete it
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => setConfirmDelete(false)}
            >
              Keep it
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="button danger-outline"
            onClick={() => setConfirmDelete(true)}
          >
            Delete template…
          </button>
        )}
      </div>
      <Table
        className="template-versions"
        columns={['Version', 'Status', 'Subject', 'Created', '']}
      >
        {[...template.versions]
          .sort((a, b) => b.version - a.version)
          .map((version) => (
            <tr
              key={version.version}
              className={version.version === shown?.version ? 'selected' : undefined}
            >
              <td data-label="Version">v{version.version}</td>
              <td data-label="Status">
                <span className={`badge badge-template-${version.status}`}>{version.status}</span>
              </td>
              <td data-label="Subject">{version.subject}</td>
              <td data-label="Created">{formatInstant(version.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="button secondary small"
                  disabled={version.version === shown?.version}
                  onClick={() => setChosen(version.version)}
                >
                  {version.status === 'draft' ? 'Edit' : 'View'}
                </button>
              </td>
            </tr>
          ))}
      </Table>
      {shown && (
        <div className="email-grid">
          <VersionPanel
            key={`${shown.version}:${shown.status}`}
            templateId={id}
            version={shown}
            busy={busy}
            run={run}
          />
          <PreviewPanel templateId={id} version={shown.version} />
        </div>
      )}
    </section>
  );
}
