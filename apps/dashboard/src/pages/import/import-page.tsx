import type { ReactNode } from 'react';
import { IssueList } from '../../components/issue-list';
import { CsvDropzone } from './csv-dropzone';
import { CsvPreviewTable } from './csv-preview';
import { ImportResults } from './import-results';
import { useCsvImport } from './use-csv-import';

const COLUMNS = ['to', 'cc', 'bcc', 'subject', 'text', 'html', 'sendAt', 'tags', 'from'];

export function ImportPage(): ReactNode {
  const csv = useCsvImport();
  const { preview, problem } = csv;
  return (
    <section className="page">
      <h1>CSV import</h1>
      <form className="card form" onSubmit={(event) => void csv.submit(event)}>
        <p className="hint">
          A header row names the columns among <code>{COLUMNS.join(', ')}</code>; <code>to</code>{' '}
          and <code>subject</code> are required, and <code>from</code> unless given below. Separate
          several addresses or tags in a cell with <code>;</code>. Rows are checked one by one: a
          bad row does not stop the others.
        </p>
        <CsvDropzone file={csv.file} choose={csv.choose} />
        <label htmlFor="import-from">
          From <span className="optional">optional, for rows without a from column</span>
        </label>
        <input
          id="import-from"
          value={csv.from}
          onChange={(e) => csv.setFrom(e.target.value)}
          placeholder="Ada <ada@example.com>"
        />
        {preview?.problem && (
          <p className="notice notice-error" role="alert">
            This file is not valid CSV: {preview.problem}.
          </p>
        )}
        {preview && !preview.problem && <CsvPreviewTable preview={preview} columns={COLUMNS} />}
        <div className="actions">
          <button
            type="submit"
            className="button primary"
            disabled={!csv.file || csv.busy || preview?.problem !== undefined}
          >
            {csv.busy
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
          {problem.details.length > 0 && <IssueList issues={problem.details} />}
        </div>
      )}
      {csv.report && <ImportResults report={csv.report} />}
    </section>
  );
}
