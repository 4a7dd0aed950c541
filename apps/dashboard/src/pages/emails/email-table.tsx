import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../api';
import { retryEmail } from '../../groups-api';
import { Table } from '../../components/table';
import { StatusBadge } from '../../components/status-badge';
import { formatAddresses, formatInstant, formatRelative } from '../../format';
import { useNow } from '../../now';
import { Link } from '../../router';
import type { EmailView } from '../../types';

const COLUMNS = ['Subject', 'To', 'Send at', 'Status', 'Attempts'];

/** A failed email's Retry, with what came of it in its place (the api's reason when it refused). */
function RetryButton({
  id,
  onChanged,
}: {
  readonly id: string;
  readonly onChanged: () => void;
}): ReactNode {
  const [state, setState] = useState<{ busy: boolean; said?: string }>({ busy: false });
  const retry = async (): Promise<void> => {
    setState({ busy: true });
    try {
      await retryEmail(id);
      setState({ busy: false, said: 'retrying' });
      onChanged();
    } catch (error) {
      setState({ busy: false, said: errorMessage(error) });
    }
  };
  return (
    <>
      <button
        type="button"
        className="button secondary small"
        disabled={state.busy}
        onClick={() => void retry()}
      >
        Retry
      </button>
      {state.said && (
        <span className="muted block" role="status">
          {state.said}
        </span>
      )}
    </>
  );
}

/** One row an email; admins see each email's tenant as well, a failed one has a Retry. */
export function EmailTable({
  emails,
  admin,
  onChanged,
}: {
  readonly emails: readonly EmailView[];
  readonly admin: boolean;
  /** After a row's action: the list reloads. */
  readonly onChanged: () => void;
}): ReactNode {
  const now = useNow();
  return (
    <Table className="emails" columns={admin ? [...COLUMNS, 'Tenant'] : COLUMNS}>
      {emails.map((email) => (
        <tr key={email.id}>
          <td data-label="Subject">
            <div className="wrap">
              <Link to={`/emails/${email.id}`} className="subject-link">
                {email.subject === '' ? '(no subject)' : email.subject}
              </Link>
              <span className="muted block">{email.from.address}</span>
            </div>
          </td>
          <td data-label="To" className="wrap">
            {formatAddresses(email.to)}
          </td>
          <td data-label="Send at">
            <div>
              <time dateTime={email.sendAt}>{formatInstant(email.sendAt)}</time>
              <span className="muted block">
                {formatRelative(email.sentAt ?? email.sendAt, now)}
              </span>
            </div>
          </td>
          <td data-label="Status">
            <StatusBadge status={email.status} />
            {/* An admin's list spans tenants; the retry route acts in the caller's own tenant only. */}
            {email.status === 'failed' && !admin && (
              <div className="row-actions">
                <RetryButton id={email.id} onChanged={onChanged} />
              </div>
            )}
          </td>
          <td data-label="Attempts">{`${email.attempts} / ${email.maxAttempts}`}</td>
          {admin && <td data-label="Tenant">{email.tenant}</td>}
        </tr>
      ))}
    </Table>
  );
}
