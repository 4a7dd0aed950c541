import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage, getBlob } from '../../api';
import { formatBytes, formatInstant } from '../../format';
import type { EmailView } from '../../types';

/** Hands the bytes to the browser as a download under the attachment's own name. */
function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // Later, not at once: a browser may still be reading the blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The email's attachments with their sizes, each downloadable until its bytes are purged (410 after). */
export function AttachmentList({
  email,
}: {
  readonly email: Pick<EmailView, 'id' | 'attachments' | 'attachmentsPurgedAt'>;
}): ReactNode {
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState<number | undefined>();
  const attachments = email.attachments ?? [];
  if (attachments.length === 0) return null;
  const purgedAt = email.attachmentsPurgedAt ?? undefined;
  const download = async (index: number, filename: string): Promise<void> => {
    setProblem(undefined);
    setBusy(index);
    try {
      save(
        await getBlob(`/v1/emails/${encodeURIComponent(email.id)}/attachments/${index}`),
        filename,
      );
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 410
          ? `${filename}: its bytes were purged after retention.`
          : `${filename}: ${errorMessage(error)}`,
      );
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="card">
      <h2>Attachments</h2>
      {purgedAt !== undefined && (
        <p className="muted">
          Bytes purged at {formatInstant(purgedAt)}: the list stays, the files are gone.
        </p>
      )}
      {problem !== undefined && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <ul className="attachment-list">
        {attachments.map((attachment, index) => (
          <li key={`${index}:${attachment.sha256}`}>
            <span className="attachment-name">{attachment.filename}</span>{' '}
            <span className="muted">
              {formatBytes(attachment.size)} · {attachment.contentType}
              {attachment.contentId !== undefined && <> · inline as cid:{attachment.contentId}</>}
            </span>{' '}
            <button
              type="button"
              className="button secondary small"
              disabled={purgedAt !== undefined || busy !== undefined}
              title={purgedAt === undefined ? undefined : `purged at ${formatInstant(purgedAt)}`}
              onClick={() => void download(index, attachment.filename)}
            >
              {purgedAt === undefined
                ? busy === index
                  ? 'Downloading…'
                  : 'Download'
                : `Purged at ${formatInstant(purgedAt)}`}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
