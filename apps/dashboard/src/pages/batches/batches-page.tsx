import type { ReactNode } from 'react';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatInstant } from '../../format';
import { batchesPath, listBatches } from '../../groups-api';
import { usePolling } from '../../polling';
import { Link } from '../../router';
import { BatchCounts } from './batch-counts';

const PAGE_SIZE = 25;

/** The tenant's batches (POST /v1/emails/batch, CSV imports), newest first, with their counts live. */
export function BatchesPage(): ReactNode {
  const pages = useCursorPages();
  const path = batchesPath(pages.cursor, PAGE_SIZE);
  const list = usePolling(path, (signal) => listBatches(path, signal), 5000);
  return (
    <section className="page">
      <h1>Batches</h1>
      <p className="muted">
        Every batch request and CSV import is a batch: cancel, pause, resume or retry all of its
        emails at once.
      </p>
      {list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} />}
      {list.loading && <Loading label="Loading the batches…" />}
      {list.data?.items.length === 0 && (
        <Empty>
          <p>
            No batches yet. <Link to="/import">Import a CSV</Link> to make one.
          </p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table className="batches" columns={['Batch', 'Created', 'Emails', 'By status']}>
          {list.data.items.map((batch) => (
            <tr key={batch.id}>
              <td data-label="Batch">
                <Link to={`/batches/${batch.id}`} className="subject-link mono">
                  {batch.id}
                </Link>
              </td>
              <td data-label="Created">
                <time dateTime={batch.createdAt}>{formatInstant(batch.createdAt)}</time>
              </td>
              <td data-label="Emails">{batch.total}</td>
              <td data-label="By status">
                <BatchCounts counts={batch.counts} compact />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager pages={pages} list={list.data} previous="← Newer" next="Older →" />
    </section>
  );
}
