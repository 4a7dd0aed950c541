import type { ReactNode } from 'react';
import type { FieldIssue } from '../types';

/** The api's reasons a request was refused, one `field reason` a line. */
export function IssueList({
  issues,
  id,
  className,
  fieldAsCode = false,
}: {
  readonly issues: readonly FieldIssue[];
  readonly id?: string;
  readonly className?: string;
  /** Shows each field name as code. */
  readonly fieldAsCode?: boolean;
}): ReactNode {
  return (
    <ul className={className} id={id}>
      {issues.map((issue) => (
        <li key={`${issue.field}:${issue.reason}`}>
          {fieldAsCode ? <code>{issue.field}</code> : issue.field} {issue.reason}
        </li>
      ))}
    </ul>
  );
}
