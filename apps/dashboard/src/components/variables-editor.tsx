import type { ReactNode } from 'react';
import { IssueList } from './issue-list';
import { KeyValueRows } from './key-value-rows';
import { type VariablesDraft, switchVariablesMode } from '../message-parts';
import type { FieldIssue } from '../types';

/** A template's variables as rows of name and text, or as a JSON object for values that are not text. */
export function VariablesEditor({
  idPrefix,
  draft,
  issues,
  onChange,
}: {
  readonly idPrefix: string;
  readonly draft: VariablesDraft;
  readonly issues: readonly FieldIssue[];
  readonly onChange: (draft: VariablesDraft) => void;
}): ReactNode {
  const switched = switchVariablesMode(draft);
  const errorId = `${idPrefix}-json-error`;
  return (
    <div className="variables">
      <div className="segmented" role="group" aria-label="Variables as">
        <button
          type="button"
          aria-pressed={draft.mode === 'rows'}
          disabled={draft.mode === 'rows' || switched === draft}
          title={switched === draft ? 'Only a JSON object becomes rows' : undefined}
          onClick={() => onChange(switched)}
        >
          Rows
        </button>
        <button
          type="button"
          aria-pressed={draft.mode === 'json'}
          disabled={draft.mode === 'json'}
          onClick={() => onChange(switched)}
        >
          JSON
        </button>
      </div>
      {draft.mode === 'rows' ? (
        <KeyValueRows
          idPrefix={`${idPrefix}-variables`}
          legend="Variables"
          part="template.variables"
          keyLabel="Variable"
          rows={draft.rows}
          issues={issues}
          onChange={(rows) => onChange({ mode: 'rows', rows })}
        />
      ) : (
        <>
          <label htmlFor={`${idPrefix}-variables-json`}>Variables (a JSON object)</label>
          <textarea
            id={`${idPrefix}-variables-json`}
            className="mono"
            rows={6}
            value={draft.json}
            onChange={(e) => onChange({ mode: 'json', json: e.target.value })}
            {...(issues.length > 0
              ? { 'aria-invalid': true as const, 'aria-describedby': errorId }
              : {})}
          />
          {issues.length > 0 && (
            <IssueList issues={issues} className="field-error" id={errorId} fieldAsCode />
          )}
        </>
      )}
    </div>
  );
}
