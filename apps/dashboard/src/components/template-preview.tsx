import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api';
import { previewTemplate } from '../templates-api';
import type { FieldIssue, TemplateContent } from '../types';
import { EmailBody } from './email-body';

/** Typing pauses this long before the preview is asked for: one request per pause, not per key. */
const PREVIEW_DELAY_MS = 400;

export interface TemplatePreviewState {
  readonly rendered?: TemplateContent;
  /** 400: the variables' issues, naming `template.variables.x`. */
  readonly issues: readonly FieldIssue[];
  /** 422 (does not render) or any other failure, in words. */
  readonly problem?: string;
  readonly busy: boolean;
}

/**
 * The template rendered with the variables, asked for again a moment after they stop changing; a newer
 * request aborts the one in flight, so an old answer never replaces a newer one. `variables` undefined: not
 * asked (they do not parse yet).
 */
export function useTemplatePreview(
  id: string,
  version: number | undefined,
  variables: Record<string, unknown> | undefined,
): TemplatePreviewState {
  // The request as its key: a new object with the same variables asks nothing again.
  const key =
    id === '' || variables === undefined ? '' : JSON.stringify({ id, version, variables });
  const [answer, setAnswer] = useState<{
    readonly key: string;
    readonly state: Omit<TemplatePreviewState, 'busy'>;
  }>({ key: '', state: { issues: [] } });
  useEffect(() => {
    if (key === '') return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const { id: templateId, ...body } = JSON.parse(key) as { id: string } & Parameters<
        typeof previewTemplate
      >[1];
      previewTemplate(templateId, body, controller.signal).then(
        (rendered) => setAnswer({ key, state: { rendered, issues: [] } }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const issues = error instanceof ApiError ? error.details : [];
          const problem =
            error instanceof ApiError && error.status === 422
              ? `Does not render: ${error.message}`
              : issues.length > 0
                ? undefined
                : errorMessage(error);
          setAnswer({ key, state: { issues, ...(problem === undefined ? {} : { problem }) } });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  if (key === '') return { issues: [], busy: false };
  // While a newer request is pending, the last rendering stays, marked as updating.
  return { ...answer.state, busy: answer.key !== key };
}

/** What the recipient would get: the subject, and the bodies (html only inside the sandboxed frame). */
export function TemplatePreview({ state }: { readonly state: TemplatePreviewState }): ReactNode {
  const { rendered, problem, busy } = state;
  return (
    <div className="template-preview" aria-live="polite" aria-busy={busy}>
      <h3>Preview {busy && <span className="muted">(updating…)</span>}</h3>
      {problem !== undefined && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {rendered === undefined ? (
        <p className="muted">Pick a template to see it rendered.</p>
      ) : (
        <>
          <p>
            <strong>Subject:</strong> {rendered.subject}
          </p>
          <EmailBody
            key={JSON.stringify(rendered)}
            html={rendered.html ?? undefined}
            text={rendered.text ?? undefined}
          />
        </>
      )}
    </div>
  );
}
