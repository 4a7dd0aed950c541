// What an email says and whom it goes to, checked as one: scheduling and editing both parse the whole content
// here, so an edit is held to exactly the rules the email was scheduled under (recipient count, body size,
// header and attachment limits), and one answer names every field to fix.

import type { ValidationIssue } from '../domain-errors';
import type { EmailContent } from '../email-events';
import { optional } from '../optional';
import type { DomainRules } from '../domain-rules';
import { bodyIssues, subjectProblem } from './content-limits';
import {
  asTemplateRef,
  parseAttachments,
  parseHeaders,
  parseMetadata,
  parseReplyTo,
  templateRefIssues,
} from './message-parts';
import { parseRecipients } from './recipients';

/** Content as it came in: every part unvalidated. */
export interface ContentInput {
  readonly to: unknown;
  readonly cc?: unknown;
  readonly bcc?: unknown;
  readonly replyTo?: unknown;
  /** Absent is refused as an empty subject is. */
  readonly subject?: unknown;
  readonly text?: unknown;
  readonly html?: unknown;
  readonly headers?: unknown;
  readonly metadata?: unknown;
  readonly attachments?: unknown;
  readonly template?: unknown;
}

export function parseContent(
  input: ContentInput,
  rules: DomainRules,
): { readonly content: EmailContent; readonly issues: readonly ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const { recipients, issues: recipientIssues } = parseRecipients(input, rules.maxRecipients);
  issues.push(...recipientIssues);
  const subject = subjectProblem(input.subject, rules.maxSubjectLength);
  if (subject) issues.push({ field: 'subject', reason: subject });
  issues.push(...bodyIssues(input.text, input.html, rules.maxBodyBytes));
  const replyTo = parseReplyTo(input.replyTo);
  const headers = parseHeaders(input.headers);
  const metadata = parseMetadata(input.metadata);
  const attachments = parseAttachments(input.attachments, rules);
  issues.push(
    ...replyTo.issues,
    ...headers.issues,
    ...metadata.issues,
    ...attachments.issues,
    ...templateRefIssues(input.template),
  );
  const content: EmailContent = {
    ...recipients,
    subject: typeof input.subject === 'string' ? input.subject : '',
    // An empty part is no part: storing '' would make "has a text version" ambiguous downstream.
    ...optional('text', nonEmpty(input.text)),
    ...optional('html', nonEmpty(input.html)),
    ...optional('replyTo', replyTo.replyTo),
    ...optional('headers', emptyAsAbsent(headers.headers)),
    ...optional(
      'metadata',
      metadata.metadata && Object.keys(metadata.metadata).length > 0
        ? metadata.metadata
        : undefined,
    ),
    ...optional('attachments', emptyAsAbsent(attachments.attachments)),
    ...optional('template', asTemplateRef(input.template)),
  };
  return { content, issues };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function emptyAsAbsent<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
