import { type ReactNode, useState } from 'react';
import { ApiError } from '../../api';
import { ErrorNotice, PageLoading } from '../../components/states';
import { formatInstant } from '../../format';
import { getBatch } from '../../groups-api';
import { batchActions } from '../../groups';
import { usePolling } from '../../polling';
import { Link } from '../../router';
import type { GroupActionReport } from '../../types';
import { BatchActions } from './batch-actions';
import { BatchCounts } from './batch-counts';
import { BatchReport } from './batch-report';

/** One batch: its counts by status, live; its actions; the report of the last action taken here. */
export function BatchPage({ id }: { readonly id: string }): ReactNode {
  const batch = usePolling(`batch:${id}`, (signal) => getBatch(id, signal), 3000);
  const [report, setReport] = useState<GroupActionReport | undefined>();

  if (batch.data === undefined) {
    if (batch.error instanceof ApiError && batch.error.status === 404) {
      return (
        <section className="page">
          <h1>Batch not found</h1>
          <p>There is no batch {id} in your tenant.</p>
          <Link to="/batches">Back to the batches</Link>
        </section>
      );
    }
    return <PageLoading error={batch.error} retry={batch.reload} label="Loading the batch…" />;
  }
  const { counts, total, createdAt } = batch.data;
  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/batches">← Batches</Link>
      </p>
      <h1>
        Batch <span className="mono">{id}</span>
      </h1>
      {batch.error !== undefined && <ErrorNotice error={batch.error} retry={batch.reload} />}
      <div className="card">
        <p>
          {total} email{total === 1 ? '' : 's'}, created {formatInstant(createdAt)}.{' '}
          <Link to={`/emails?batchId=${id}`}>See them all</Link>
        </p>
        <BatchCounts counts={counts} batchId={id} />
        <BatchActions
          batchId={id}
          actions={batchActions(counts)}
          onReport={(next) => {
            setReport(next);
            batch.reload();
          }}
        />
      </div>
      {report && <BatchReport report={report} />}
    </section>
  );
}
