// The parts of a message beyond addresses and bodies as the dashboard edits them (issue 19): headers, metadata
// and template variables as rows of key and value, attachments read in the browser as base64, and where the
// api's issues about them (`headers.X-Foo`, `attachments[2].filename`, `template.variables.name`) are shown.
import { formatBytes } from './format';
import type { FieldIssue } from './types';

/** The api's caps on one email's attachments. */
export const MAX_ATTACHMENTS = 20;
export const MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024;

export interface KeyValueRow {
  readonly key: string;
  readonly value: string;
}

export const BLANK_ROW: KeyValueRow = { key: '', value: '' };

/** The rows as an object; rows left blank are not sent, and no row at all is no part. */
export function rowsToObject(rows: readonly KeyValueRow[]): Record<string, string> | undefined {
  const filled = rows.filter((row) => row.key.trim() !== '' || row.value !== '');
  if (filled.length === 0) return undefined;
  return Object.fromEntries(filled.map((row) => [row.key.trim(), row.value]));
}

export function objectToRows(
  object: Readonly<Record<string, unknown>> | null | undefined,
): KeyValueRow[] {
  return Object.entries(object ?? {}).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

/** Keys typed twice: the object would silently keep the last, so the form says so instead. */
export function duplicateKeys(rows: readonly KeyValueRow[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { key } of rows) {
    const name = key.trim();
    if (name === '') continue;
    if (seen.has(name)) twice.add(name);
    seen.add(name);
  }
  return [...twice];
}

/** `headers.X-Foo` → `headers`; `attachments[2].filename` → `attachments`; `to[0]` → `to`. */
export function issuePart(field: string): string {
  return field.split(/[[.]/)[0] ?? '';
}

/**
 * The issues about one row of a key/value part: `metadata.plan` belongs to the row keyed `plan`
 * (`template.variables.name` to the variable `name`, with `part` `template.variables`).
 */
export function rowIssues(
  issues: readonly FieldIssue[],
  part: string,
  key: string,
): readonly FieldIssue[] {
  const name = key.trim();
  if (name === '') return [];
  return issues.filter((issue) => issue.field === `${part}.${name}`);
}

/** The issues about the part as a whole, or about a key no row has. */
export function partIssues(
  issues: readonly FieldIssue[],
  part: string,
  keys: readonly string[],
): readonly FieldIssue[] {
  const names = new Set(keys.map((key) => `${part}.${key.trim()}`));
  return issues.filter(
    (issue) =>
      (issue.field === part || issue.field.startsWith(`${part}.`)) && !names.has(issue.field),
  );
}

/** The issues about the attachment at `index`: `attachments[2]`, `attachments[2].filename`. */
export function attachmentIssues(
  issues: readonly FieldIssue[],
  index: number,
): readonly FieldIssue[] {
  const at = `attachments[${index}]`;
  return issues.filter((issue) => issue.field === at || issue.field.startsWith(`${at}.`));
}

/** A file ready to send: its bytes as base64, and whether the html shows it inline as `cid:<contentId>`. */
export interface AttachmentDraft {
  readonly filename: string;
  /** Empty: the api guesses from the file name. */
  readonly contentType: string;
  readonly size: number;
  readonly content: string;
  /** Set: an inline part. */
  readonly contentId?: string;
}

/** Bytes as base64, a chunk at a time: one `String.fromCharCode(...bytes)` overflows the stack on a large file. */
export function bytesToBase64(bytes: Uint8Array): string {
  const chunk = 0x8000;
  let binary = '';
  for (let at = 0; at < bytes.length; at += chunk) {
    binary += String.fromCharCode(...bytes.subarray(at, at + chunk));
  }
  return btoa(binary);
}

export function totalBytes(attachments: readonly Pick<AttachmentDraft, 'size'>[]): number {
  return attachments.reduce((sum, attachment) => sum + attachment.size, 0);
}

/**
 * The list with the files added in order, as many as the caps allow: a file that would pass 20 files or 10 MB
 * in all is refused here (with the reason), before its bytes are ever read or sent.
 */
export function admitFiles<T extends { readonly name: string; readonly size: number }>(
  current: readonly Pick<AttachmentDraft, 'size'>[],
  files: readonly T[],
): { readonly admitted: T[]; readonly refused: string[] } {
  let count = current.length;
  let bytes = totalBytes(current);
  const admitted: T[] = [];
  const refused: string[] = [];
  for (const file of files) {
    if (count + 1 > MAX_ATTACHMENTS) {
      refused.push(`${file.name}: at most ${MAX_ATTACHMENTS} files`);
    } else if (bytes + file.size > MAX_ATTACHMENTS_BYTES) {
      refused.push(
        `${file.name} (${formatBytes(file.size)}): the attachments would pass ${formatBytes(MAX_ATTACHMENTS_BYTES)} in all`,
      );
    } else {
      admitted.push(file);
      count += 1;
      bytes += file.size;
    }
  }
  return { admitted, refused };
}

/** A content id for `cid:` made from the file name, unlike any already taken. */
export function contentIdFor(filename: string, taken: readonly string[]): string {
  const base = filename.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]/g, '_').slice(0, 200) || 'part';
  let id = base;
  for (let n = 2; taken.includes(id); n += 1) id = `${base}.${n}`;
  return id;
}

/** The list with the attachment at `index` made inline (with a content id of its own) or not. */
export function withInline(
  attachments: readonly AttachmentDraft[],
  index: number,
  inline: boolean,
): AttachmentDraft[] {
  const taken = attachments.flatMap((attachment, at) =>
    at !== index && attachment.contentId !== undefined ? [attachment.contentId] : [],
  );
  return attachments.map((attachment, at) => {
    if (at !== index) return attachment;
    const { filename, contentType, size, content } = attachment;
    const plain = { filename, contentType, size, content };
    return inline ? { ...plain, contentId: contentIdFor(filename, taken) } : plain;
  });
}

/** The attachments as the api's request takes them; none is no part. */
export function attachmentsRequest(
  attachments: readonly AttachmentDraft[],
): { filename: string; content: string; contentType?: string; contentId?: string }[] | undefined {
  if (attachments.length === 0) return undefined;
  return attachments.map((attachment) => ({
    filename: attachment.filename,
    content: attachment.content,
    ...(attachment.contentType === '' ? {} : { contentType: attachment.contentType }),
    ...(attachment.contentId === undefined ? {} : { contentId: attachment.contentId }),
  }));
}

/** Template variables typed as rows (every value a string) or as a JSON object (any values). */
export type VariablesDraft =
  | { readonly mode: 'rows'; readonly rows: readonly KeyValueRow[] }
  | { readonly mode: 'json'; readonly json: string };

/** The variables as the api takes them, or the local issue that keeps them from being sent. */
export function variablesOf(
  draft: VariablesDraft,
): { readonly variables: Record<string, unknown> } | { readonly issue: FieldIssue } {
  if (draft.mode === 'rows') return { variables: rowsToObject(draft.rows) ?? {} };
  if (draft.json.trim() === '') return { variables: {} };
  try {
    const parsed = JSON.parse(draft.json) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { variables: parsed as Record<string, unknown> };
  } catch {
    // Reported below, like any JSON that is not an object.
  }
  return { issue: { field: 'template.variables', reason: 'must be a JSON object' } };
}

/** The other mode with the same variables; rows to JSON always works, JSON to rows only from valid JSON. */
export function switchVariablesMode(draft: VariablesDraft): VariablesDraft {
  if (draft.mode === 'rows') {
    const variables = rowsToObject(draft.rows) ?? {};
    return { mode: 'json', json: JSON.stringify(variables, null, 2) };
  }
  const parsed = variablesOf(draft);
  return 'issue' in parsed ? draft : { mode: 'rows', rows: objectToRows(parsed.variables) };
}
