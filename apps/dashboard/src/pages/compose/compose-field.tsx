import type { InputHTMLAttributes, ReactNode } from 'react';
import { IssueList } from '../../components/issue-list';
import type { ComposeForm } from './compose-form';
import type { Field } from './schedule-request';

/** aria attributes tying a field to its messages, while it has some. */
export function invalidProps(
  form: ComposeForm,
  field: Field,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return form.issuesOf(field).length > 0
    ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` }
    : {};
}

/** The api's messages about one field, under it. */
export function FieldErrors({
  form,
  field,
}: {
  readonly form: ComposeForm;
  readonly field: Field;
}): ReactNode {
  const issues = form.issuesOf(field);
  if (issues.length === 0) return null;
  return <IssueList issues={issues} className="field-error" id={`${field}-error`} />;
}

type InputProps = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'placeholder' | 'autoComplete' | 'type' | 'min' | 'inputMode' | 'className'
>;

/** A labelled text input (or, with `rows`, a text area) of the compose form, with its messages. */
export function ComposeField({
  form,
  field,
  label,
  optional,
  rows,
  ...attributes
}: {
  readonly form: ComposeForm;
  readonly field: Field;
  readonly label: string;
  /** Marks the field optional, with this text. */
  readonly optional?: string;
  readonly rows?: number;
} & InputProps): ReactNode {
  const common = {
    id: field,
    value: form.values[field],
    ...attributes,
    ...invalidProps(form, field),
  };
  return (
    <>
      <label htmlFor={field}>
        {label}
        {optional !== undefined && (
          <>
            {' '}
            <span className="optional">{optional}</span>
          </>
        )}
      </label>
      {rows === undefined ? (
        <input {...common} onChange={(e) => form.edit(field, e.target.value)} />
      ) : (
        <textarea {...common} rows={rows} onChange={(e) => form.edit(field, e.target.value)} />
      )}
      <FieldErrors form={form} field={field} />
    </>
  );
}
