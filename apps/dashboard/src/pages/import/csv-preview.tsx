import type { ReactNode } from 'react';
import { Table } from '../../components/table';
import type { CsvPreview } from '../../csv';

/** The first rows of the chosen file, with the columns the api will refuse. */
export function CsvPreviewTable({
  preview,
  columns,
}: {
  readonly preview: CsvPreview;
  /** The columns the api knows. */
  readonly columns: readonly string[];
}): ReactNode {
  const unknownColumns = preview.header.filter((name) => !columns.includes(name));
  return (
    <div className="preview">
      <h2>
        Preview{' '}
        <span className="muted">
          ({preview.totalRows} data row{preview.totalRows === 1 ? '' : 's'}
          {preview.totalRows > preview.rows.length ? `, first ${preview.rows.length} shown` : ''})
        </span>
      </h2>
      {unknownColumns.length > 0 && (
        <p className="notice notice-error" role="alert">
          Unknown column{unknownColumns.length > 1 ? 's' : ''}: {unknownColumns.join(', ')}. The api
          will refuse this header.
        </p>
      )}
      <Table className="preview-table" columns={['Row', ...preview.header]}>
        {preview.rows.map((cells, index) => (
          <tr key={index}>
            <td data-label="Row">{index + 1}</td>
            {preview.header.map((name, column) => (
              <td key={`${name}-${column}`} data-label={name} className="wrap">
                {cells[column] ?? ''}
              </td>
            ))}
          </tr>
        ))}
      </Table>
    </div>
  );
}
