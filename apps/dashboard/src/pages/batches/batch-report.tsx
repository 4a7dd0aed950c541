import type { ReactNode } from 'react';
import { describeReport, skippedByReason } from '../../groups';
import { Link } from '../../router';
import type { GroupActionReport } from '../../types';

/** At most this many emails listed per skip reason: the count says the rest. */
const LISTED = 20;

/** What an action did: the counts, then the skipped emails by reason (too late, and why). */
export function BatchReport({ report }: { readonly report: GroupActionReport }): ReactNode {
  const skipped = skippedByReason(report.results);
  return (
    <div className="card" role="status">
      <h2>Report</h2>
      <p>{describeReport(report)}</p>
      {skipped.map(({ reason, emails }) => (
        <details key={reason}>
          <summary>
            {emails.length} skipped: {reason}
          </summary>
          <ul className="mono small">
            {emails.slice(0, LISTED).map((result) => (
              <li key={result.emailId}>
                <Link to={`/emails/${result.emailId}`}>{result.emailId}</Link> (
                {result.status ?? '—'})
              </li>
            ))}
            {emails.length > LISTED && <li>… and {emails.length - LISTED} more</li>}
          </ul>
        </details>
      ))}
    </div>
  );
}
