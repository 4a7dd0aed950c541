import type { ReactNode } from 'react';
import { IssueList } from '../../components/issue-list';
import { issuePart } from '../../message-parts';
import type { ContentValues } from '../../templates';
import type { FieldIssue } from '../../types';

const FIELDS = [
  { part: 'subject', label: 'Subject', rows: undefined, hint: 'placeholders as {{ name }}' },
  { part: 'text', label: 'Text', rows: 6, hint: 'optional' },
  { part: 'html', label: 'HTML', rows: 6, hint: 'optional; previewed with scripts disabled' },
] as const;

/** A template version's subject and bodies, each with the api's issues about it. */
export function ContentFields({
  idPrefix,
  values,
  issues,
  readOnly = false,
  onChange,
}: {
  readonly idPrefix: string;
  readonly values: ContentValues;
  readonly issues: readonly FieldIssue[];
  readonly readOnly?: boolean;
  readonly onChange: (values: ContentValues) => void;
}): ReactNode {
  return (
    <>
      {FIELDS.map(({ part, label, rows, hint }) => {
        const id = `${idPrefix}-${part}`;
        const own = issues.filter((issue) => issuePart(issue.field) === part);
        const common = {
          id,
          value: values[part],
          readOnly,
          className: part === 'html' ? 'mono' : undefined,
          ...(own.length > 0
            ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` }
            : {}),
        };
        return (
          <div key={part}>
            <label htmlFor={id}>
              {label} <span className="optional">{hint}</span>
            </label>
            {rows === undefined ? (
              <input
                {...common}
                onChange={(e) => onChange({ ...values, [part]: e.target.value })}
              />
            ) : (
              <textarea
                {...common}
                rows={rows}
                onChange={(e) => onChange({ ...values, [part]: e.target.value })}
              />
            )}
            {own.length > 0 && (
              <IssueList issues={own} className="field-error" id={`${id}-error`} />
            )}
          </div>
        );
      })}
    </>
  );
}
