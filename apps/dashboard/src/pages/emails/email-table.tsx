import type { ReactNode } from 'react';
import { Table } from '../../components/table';
import { StatusBadge } from '../../components/status-badge';
import { formatAddresses, formatInstant, formatRelative } from '../../format';
import { useNow } from '../../now';
import { Link } from '../../router';
import type { EmailView } from '../../types';

const COLUMNS = ['Subject', 'To', 'Send at', 'Status', 'Attempts'];

/** One row an email; admins see each email's tenant as well. */
export function EmailTable({
  emails,
  admin,
}: {
  readonly emails: readonly EmailView[];
  readonly admin: boolean;
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
          </td>
          <td data-label="Attempts">{`${email.attempts} / ${email.maxAttempts}`}</td>
          {admin && <td data-label="Tenant">{email.tenant}</td>}
        </tr>
      ))}
    </Table>
  );
}
