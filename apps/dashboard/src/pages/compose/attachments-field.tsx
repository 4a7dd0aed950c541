import { type ChangeEvent, type DragEvent, type ReactNode, useState } from 'react';
import { IssueList } from '../../components/issue-list';
import { formatBytes } from '../../format';
import {
  MAX_ATTACHMENTS,
  MAX_ATTACHMENTS_BYTES,
  attachmentIssues,
  totalBytes,
  withInline,
} from '../../message-parts';
import type { ComposeForm } from './compose-form';

/**
 * Files to attach, chosen or dropped, each with its size and the total against the cap; an inline file gets a
 * content id the html references as `cid:`.
 */
export function AttachmentsField({ form }: { readonly form: ComposeForm }): ReactNode {
  const [dragging, setDragging] = useState(false);
  const { attachments } = form;
  const issues = form.issuesOf('attachments');
  const listed = new Set(attachments.map((_, index) => attachmentIssues(issues, index)).flat());
  const general = issues.filter((issue) => !listed.has(issue));
  const total = totalBytes(attachments);
  const add = (files: FileList | null): void => {
    if (files !== null) void form.addFiles([...files]);
  };
  return (
    <fieldset className="attachments">
      <legend>
        Attachments{' '}
        <span className="optional">
          optional; up to {MAX_ATTACHMENTS} files, {formatBytes(MAX_ATTACHMENTS_BYTES)} in all
        </span>
      </legend>
      <label
        htmlFor="attachment-files"
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event: DragEvent) => {
          event.preventDefault();
          setDragging(false);
          add(event.dataTransfer.files);
        }}
      >
        <strong>Choose files</strong>
        <span className="muted">or drop them here</span>
      </label>
      <input
        id="attachment-files"
        className="visually-hidden-file"
        type="file"
        multiple
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          add(event.target.files);
          event.target.value = '';
        }}
      />
      {form.refusedFiles.length > 0 && (
        <ul className="field-error" role="alert">
          {form.refusedFiles.map((reason) => (
            <li key={reason}>Not attached: {reason}</li>
          ))}
        </ul>
      )}
      {attachments.length > 0 && (
        <ul className="attachment-list">
          {attachments.map((attachment, index) => {
            const own = attachmentIssues(issues, index);
            return (
              <li key={`${index}:${attachment.filename}`}>
                <span className="attachment-name">{attachment.filename}</span>{' '}
                <span className="muted">
                  {formatBytes(attachment.size)}
                  {attachment.contentType !== '' && <> · {attachment.contentType}</>}
                </span>{' '}
                <label className="check">
                  <input
                    type="checkbox"
                    checked={attachment.contentId !== undefined}
                    onChange={(e) =>
                      form.editAttachments(withInline(attachments, index, e.target.checked))
                    }
                  />{' '}
                  inline
                </label>
                {attachment.contentId !== undefined && (
                  <code className="muted">cid:{attachment.contentId}</code>
                )}{' '}
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`Remove ${attachment.filename}`}
                  onClick={() => form.editAttachments(attachments.filter((_, at) => at !== index))}
                >
                  Remove
                </button>
                {own.length > 0 && <IssueList issues={own} className="field-error" fieldAsCode />}
              </li>
            );
          })}
        </ul>
      )}
      <p className={total > MAX_ATTACHMENTS_BYTES ? 'hint error-text' : 'hint'}>
        {attachments.length} of {MAX_ATTACHMENTS} files · {formatBytes(total)} of{' '}
        {formatBytes(MAX_ATTACHMENTS_BYTES)}
      </p>
      {general.length > 0 && <IssueList issues={general} className="field-error" fieldAsCode />}
    </fieldset>
  );
}
