import { splitAddresses, splitTags } from '../../format';
import {
  type AttachmentDraft,
  type KeyValueRow,
  type VariablesDraft,
  attachmentsRequest,
  issuePart,
  rowsToObject,
  variablesOf,
} from '../../message-parts';
import type { FieldIssue } from '../../types';
import { type WindowDraft, windowRequest } from '../../zones';
import type { components } from '../../api-schema';

/**
 * The form's fields: the properties of the api's schedule request, each as the text typed. `sendAt` and
 * `expiresAt` are wall-clock times in `timeZone`; the window, attachments, headers, metadata and template
 * have editors of their own.
 */
export type Field = Exclude<
  keyof components['schemas']['ScheduleEmailDto'],
  'deliveryWindow' | 'attachments' | 'headers' | 'metadata' | 'template'
>;
export type ComposeValues = Readonly<Record<Field, string>>;

/** The template an email is rendered from: a published version (absent: the latest) and its variables. */
export interface TemplateUse {
  readonly id: string;
  readonly version?: number;
  readonly variables: Record<string, unknown>;
}

/** The parts with editors of their own, each showing the api's issues about it. */
export type Part = 'deliveryWindow' | 'headers' | 'metadata' | 'attachments' | 'template';
const PARTS: readonly string[] = [
  'deliveryWindow',
  'headers',
  'metadata',
  'attachments',
  'template',
] satisfies readonly Part[];

const RENDERED: readonly string[] = ['subject', 'text', 'html'] satisfies readonly Field[];

/** Where an api issue is shown: by a field, by a part's editor, or in the banner. */
export type IssueHome = Field | Part | 'other';

/** The template picked: none (`id` empty), and its version (empty: the latest published). */
export interface TemplateChoice {
  readonly id: string;
  readonly version: string;
  readonly variables: VariablesDraft;
}

/** The template part of the request, or the local issue that keeps it from being sent. */
export function templateUse(
  choice: TemplateChoice,
): { readonly use?: TemplateUse } | { readonly issue: FieldIssue } {
  if (choice.id === '') return {};
  const variables = variablesOf(choice.variables);
  if ('issue' in variables) return variables;
  return {
    use: {
      id: choice.id,
      ...(choice.version === '' ? {} : { version: Number(choice.version) }),
      variables: variables.variables,
    },
  };
}

/**
 * Where an issue belongs: `to[2]` → to, `headers.X-Foo` → headers, `template.variables.x` → template. With a
 * template the subject and bodies are its rendering, not fields on the form: their issues are the template's.
 */
export function issueHome(
  issue: FieldIssue,
  fields: readonly string[],
  templated: boolean,
): IssueHome {
  const name = issuePart(issue.field);
  if (PARTS.includes(name)) return name as Part;
  if (templated && RENDERED.includes(name)) return 'template';
  return fields.includes(name) ? (name as Field) : 'other';
}

/** The parts with editors of their own. */
export interface ComposeParts {
  readonly headers: readonly KeyValueRow[];
  readonly metadata: readonly KeyValueRow[];
  readonly attachments: readonly AttachmentDraft[];
  /** Set: the subject and bodies are the template's, and the typed ones are not sent. */
  readonly template?: TemplateUse;
}

/**
 * The body of `POST /v1/emails` from the form: empty optional fields are left out. `sendAt` and `expiresAt`
 * go as the wall-clock times typed, with `timeZone`: the api resolves them there (docs/TIME.md).
 */
export function scheduleRequest(
  values: ComposeValues,
  window: WindowDraft,
  parts: ComposeParts,
): Record<string, unknown> {
  const list = (value: string): string[] | undefined =>
    value.trim() === '' ? undefined : splitAddresses(value);
  const { maxAttempts } = values;
  const { template } = parts;
  const content =
    template === undefined
      ? {
          subject: values.subject,
          text: values.text === '' ? undefined : values.text,
          html: values.html === '' ? undefined : values.html,
        }
      : { template };
  return {
    from: values.from.trim(),
    to: list(values.to) ?? [],
    cc: list(values.cc),
    bcc: list(values.bcc),
    replyTo: list(values.replyTo),
    ...content,
    headers: rowsToObject(parts.headers),
    metadata: rowsToObject(parts.metadata),
    attachments: attachmentsRequest(parts.attachments),
    sendAt: values.sendAt,
    timeZone: values.timeZone,
    deliveryWindow: windowRequest(window, values.timeZone),
    expiresAt: values.expiresAt === '' ? undefined : values.expiresAt,
    tags: splitTags(values.tags),
    maxAttempts: maxAttempts === '' ? undefined : Number(maxAttempts),
  };
}
