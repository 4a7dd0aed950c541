import type { ReactNode } from 'react';
import { Table } from '../../components/table';
import { IssueList } from '../../components/issue-list';
import { Link } from '../../router';
import type { FieldIssue, ImportReport } from '../../types';

interface RowResult {
  readonly row: number;
  readonly id?: string;
  readonly status: number;
  readonly errors?: readonly FieldIssue[];
}

/** The api lists accepted rows (ids) and rejected rows apart; the page shows them in file order. */
function rowResults(report: ImportReport): RowResult[] {
  const accepted = report.ids.map((item) => ({ row: item.row, id: item.id, status: 201 }));
  return [...accepted, ...report.rows].sort((a, b) => a.row - b.row);
}

/** What became of each row of an import. */
export function ImportResults({ report }: { readonly report: ImportReport }): ReactNode {
  return (
    <div className="card" aria-live="polite">
      <h2>Results</h2>
      <p className="summary">
        <span className="badge badge-sent">{report.accepted} scheduled</span>{' '}
        <span className={report.rejected > 0 ? 'badge badge-failed' : 'badge'}>
          {report.rejected} rejected
        </span>
        {report.batchId && report.accepted > 0 && (
          <>
            {' '}
            <Link to={`/batches/${report.batchId}`}>Open the batch</Link>
          </>
        )}
      </p>
      <Table className="results-table" columns={['Row', 'Result', 'Details']}>
        {rowResults(report).map((result) => (
          <tr key={result.row} className={result.id ? 'row-ok' : 'row-bad'}>
            <td data-label="Row">{result.row}</td>
            <td data-label="Result">
              {result.id ? (
                <span className="badge badge-sent">scheduled</span>
              ) : (
                <span className="badge badge-failed">{result.status} rejected</span>
              )}
            </td>
            <td data-label="Details" className="wrap">
              {result.id ? (
                <Link to={`/emails/${result.id}`}>Open email</Link>
              ) : (
                <IssueList issues={result.errors ?? []} className="plain" fieldAsCode />
              )}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
