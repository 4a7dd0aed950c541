import { type ChangeEvent, type DragEvent, type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage, request } from '../api';
import { previewCsv, type CsvPreview } from '../csv';
import { Link } from '../router';
import type { FieldIssue, ImportReport } from '../types';

const COLUMNS = ['to', 'cc', 'bcc', 'subject', 'text', 'html', 'sendAt', 'tags', 'from'];

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

export function ImportPage(): ReactNode {
  const [file, setFile] = useState<File | undefined>();
  const [preview, setPreview] = useState<CsvPreview | undefined>();
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | undefined>();
  const [problem, setProblem] = useState<
    { message: string; details: readonly FieldIssue[] } | undefined
  >();
  const [dragging, setDragging] = useState(false);

  const choose = (chosen: File | undefined): void => {
    setFile(chosen);
    setReport(undefined);
    setProblem(undefined);
    setPreview(undefined);
    if (chosen) void chosen.text().then((text) => setPreview(previewCsv(text)));
  };
  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  };
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    // The api reads `from` only when it comes before the file.
    if (from.trim() !== '') form.append('from', from.trim());
    form.append('file', file, file.name);
    setBusy(true);
    setProblem(undefined);
    try {
      const { body } = await request<ImportReport>('/v1/emails/import', { method: 'POST', form });
      setReport(body);
    } catch (error) {
      setProblem({
        message: errorMessage(error),
        details: error instanceof ApiError ? error.details : [],
      });
    } finally {
      setBusy(false);
    }
  };
  const unknownColumns = preview?.header.filter((name) => !COLUMNS.includes(name)) ?? [];

  return (
    <section className="page">
      <h1>CSV import</h1>
      <form className="card form" onSubmit={(event) => void submit(event)}>
        <p className="hint">
          A header row names the columns among <code>{COLUMNS.join(', ')}</code>; <code>to</code>{' '}
          and <code>subject</code> are required, and <code>from</code> unless given below. Separate
          several addresses or tags in a cell with <code>;</code>. Rows are checked one by one: a
          bad row does not stop the others.
        </p>
        <label
          htmlFor="csv-file"
          className={dragging ? 'dropzone dragging' : 'dropzone'}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <strong>{file ? file.name : 'Choose a CSV file'}</strong>
          <span className="muted">
            {file ? `${file.size.toLocaleString()} bytes` : 'or drop it here'}
          </span>
        </label>
        <input
          id="csv-file"
          className="visually-hidden-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event: ChangeEvent<HTMLInputElement>) => choose(event.target.files?.[0])}
        />
        <label htmlFor="import-from">
          From <span className="optional">optional, for rows without a from column</span>
        </label>
        <input
          id="import-from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          placeholder="Ada <ada@example.com>"
        />
        {preview?.problem && (
          <p className="notice notice-error" role="alert">
            This file is not valid CSV: {preview.problem}.
          </p>
        )}
        {preview && !preview.problem && (
          <div className="preview">
            <h2>
              Preview{' '}
              <span className="muted">
                ({preview.totalRows} data row{preview.totalRows === 1 ? '' : 's'}
                {preview.totalRows > preview.rows.length
                  ? `, first ${preview.rows.length} shown`
                  : ''}
                )
              </span>
            </h2>
            {unknownColumns.length > 0 && (
              <p className="notice notice-error" role="alert">
                Unknown column{unknownColumns.length > 1 ? 's' : ''}: {unknownColumns.join(', ')}.
                The api will refuse this header.
              </p>
            )}
            <div className="table-wrap">
              <table className="preview-table">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    {preview.header.map((name, index) => (
                      <th scope="col" key={`${name}-${index}`}>
                        {name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
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
                </tbody>
              </table>
            </div>
          </div>
        )}
        <div className="actions">
          <button
            type="submit"
            className="button primary"
            disabled={!file || busy || preview?.problem !== undefined}
          >
            {busy
              ? 'Importing…'
              : preview
                ? `Import ${preview.totalRows} row${preview.totalRows === 1 ? '' : 's'}`
                : 'Import'}
          </button>
        </div>
      </form>
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>The import stopped: {problem.message}</p>
          {problem.details.length > 0 && (
            <ul>
              {problem.details.map((issue) => (
                <li key={`${issue.field}:${issue.reason}`}>
                  {issue.field} {issue.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {report && (
        <div className="card" aria-live="polite">
          <h2>Results</h2>
          <p className="summary">
            <span className="badge badge-sent">{report.accepted} scheduled</span>{' '}
            <span className={report.rejected > 0 ? 'badge badge-failed' : 'badge'}>
              {report.rejected} rejected
            </span>
          </p>
          <div className="table-wrap">
            <table className="results-table">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Result</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
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
                        <ul className="plain">
                          {(result.errors ?? []).map((issue) => (
                            <li key={`${issue.field}:${issue.reason}`}>
                              <code>{issue.field}</code> {issue.reason}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
