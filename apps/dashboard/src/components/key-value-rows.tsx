import type { ReactNode } from 'react';
import { IssueList } from './issue-list';
import {
  BLANK_ROW,
  type KeyValueRow,
  duplicateKeys,
  partIssues,
  rowIssues,
} from '../message-parts';
import type { FieldIssue } from '../types';

/**
 * Rows of key and value to add and remove (headers, metadata, template variables). The api's issue about a
 * key (`metadata.plan`) shows under that row; one about the part as a whole under the rows.
 */
export function KeyValueRows({
  idPrefix,
  legend,
  part,
  rows,
  issues,
  onChange,
  keyLabel = 'Name',
  valueLabel = 'Value',
  keyPlaceholder,
  hint,
}: {
  readonly idPrefix: string;
  readonly legend: string;
  /** The request's name for the part, as the api's issues name it: `headers`, `template.variables`. */
  readonly part: string;
  readonly rows: readonly KeyValueRow[];
  readonly issues: readonly FieldIssue[];
  readonly onChange: (rows: readonly KeyValueRow[]) => void;
  readonly keyLabel?: string;
  readonly valueLabel?: string;
  readonly keyPlaceholder?: string;
  readonly hint?: string;
}): ReactNode {
  const set = (index: number, change: Partial<KeyValueRow>): void =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));
  const twice = duplicateKeys(rows);
  const general = [
    ...partIssues(
      issues,
      part,
      rows.map((row) => row.key),
    ),
    ...twice.map((key) => ({ field: `${part}.${key}`, reason: 'is given twice' })),
  ];
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset className="key-values">
      <legend>
        {legend} {hint && <span className="optional">{hint}</span>}
      </legend>
      {rows.map((row, index) => {
        const own = rowIssues(issues, part, row.key);
        const rowError = `${idPrefix}-${index}-error`;
        const invalid =
          own.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': rowError } : {};
        return (
          <div key={index} className="key-value-row">
            <div className="inline">
              <input
                aria-label={`${legend}: ${keyLabel.toLowerCase()} ${index + 1}`}
                placeholder={keyPlaceholder ?? keyLabel}
                value={row.key}
                onChange={(e) => set(index, { key: e.target.value })}
                {...invalid}
              />
              <input
                aria-label={`${legend}: ${valueLabel.toLowerCase()} ${index + 1}`}
                placeholder={valueLabel}
                value={row.value}
                onChange={(e) => set(index, { value: e.target.value })}
                {...invalid}
              />
              <button
                type="button"
                className="button secondary small"
                aria-label={`Remove ${legend.toLowerCase()} ${row.key || index + 1}`}
                onClick={() => onChange(rows.filter((_, at) => at !== index))}
              >
                Remove
              </button>
            </div>
            {own.length > 0 && <IssueList issues={own} className="field-error" id={rowError} />}
          </div>
        );
      })}
      <button
        type="button"
        className="button secondary small"
        onClick={() => onChange([...rows, BLANK_ROW])}
      >
        Add {keyLabel.toLowerCase()}
      </button>
      {general.length > 0 && (
        <IssueList issues={general} className="field-error" id={errorId} fieldAsCode />
      )}
    </fieldset>
  );
}
