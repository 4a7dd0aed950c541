import type { ReactNode } from 'react';
import { BATCH_COUNTS } from '../../groups';
import { Link } from '../../router';
import type { BatchView } from '../../types';

/**
 * A batch's counts by status; with `batchId`, each links to its emails in the list. `compact` leaves the
 * zeros out.
 */
export function BatchCounts({
  counts,
  batchId,
  compact = false,
}: {
  readonly counts: BatchView['counts'];
  readonly batchId?: string;
  readonly compact?: boolean;
}): ReactNode {
  const shown = BATCH_COUNTS.filter((status) => !compact || counts[status] > 0);
  return (
    <div className="counts">
      {shown.map((status) => (
        <span key={status}>
          <span className={`badge badge-${status}`}>{status}</span>{' '}
          {batchId === undefined || status === 'pending' ? (
            counts[status]
          ) : (
            <Link to={`/emails?status=${status}&batchId=${batchId}`}>{counts[status]}</Link>
          )}
        </span>
      ))}
    </div>
  );
}
