// The parts of a message beyond its addresses, subject and bodies: where replies go, headers of the owner's
// choosing, metadata, attachments (by reference) and the template they were rendered from. Each is checked here
// so scheduling and editing refuse the same things, naming the part (`headers.X-Campaign`, `attachments[2].filename`).

import type { ValidationIssue } from '../domain-errors';
import type { Address, AttachmentRef, EmailHeader, TemplateRef } from '../email-events';
import { parseAddress, type AddressInput } from './address';
import { utf8ByteLength } from './content-limits';
import { bodyTextProblem, headerTextProblem } from './header-text';

export const MAX_REPLY_TO = 10;
export const MAX_HEADERS = 20;
export const MAX_HEADER_NAME_LENGTH = 64;
/**
 * Characters. nodemailer folds a value only at its spaces, and RFC 5322 caps a line at 998: a value with none
 * still fits one line beside the longest name.
 */
export const MAX_HEADER_VALUE_LENGTH = 900;
export const MAX_HEADERS_BYTES = 16 * 1024;
export const MAX_METADATA_KEYS = 50;
export const MAX_METADATA_KEY_LENGTH = 40;
export const MAX_METADATA_VALUE_LENGTH = 500;
export const MAX_METADATA_BYTES = 8 * 1024;
export const MAX_FILENAME_LENGTH = 255;
export const MAX_CONTENT_ID_LENGTH = 255;
/** The template variables as JSON, in UTF-8 bytes. */
export const MAX_TEMPLATE_VARIABLES_BYTES = 64 * 1024;
export const DEFAULT_ATTACHMENT_TYPE = 'application/octet-stream';

/**
 * Headers the service writes itself (or that only a relay may write): set by the owner, they would contradict
 * the message the service builds (a second From, a forged Received) or break its MIME structure.
 */
const OWNED_HEADERS = new Set([
  'message-id',
  'date',
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'mime-version',
  'return-path',
  'received',
  'dkim-signature',
  'x-mailer',
  // What receiving servers write about a message's path and authentication: set by a sender, a forgery.
  'authentication-results',
  'received-spf',
]);
/** Prefixes of header families the service or the relays write (resent blocks, ARC seals, MIME parts). */
const OWNED_PREFIXES = ['content-', 'resent-', 'arc-'];

/** RFC 5322 field-name: printable US-ASCII but the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const METADATA_KEY = /^[A-Za-z0-9_.-]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const REF_FIELDS: ReadonlySet<string> = new Set([
  'filename',
  'contentType',
  'size',
  'sha256',
  'contentId',
]);
/** RFC 2045 token "/" token, as nodemailer writes it into Content-Type. */
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/;
/** RFC 5322 dot-atom text with an @: what fits between the angle brackets of Content-ID. */
const CONTENT_ID = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]+$/;

export interface MessagePartLimits {
  /** Files per email. */
  readonly maxAttachments: number;
  /** Bytes of one file. */
  readonly maxAttachmentBytes: number;
  /** Bytes of all of an email's files together. */
  readonly maxAttachmentsTotalBytes: number;
}

/** Whether a header name is one the service owns (case-insensitive; any Content-* is). */
export function isOwnedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return OWNED_HEADERS.has(lower) || OWNED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

export function parseReplyTo(input: unknown): {
  readonly replyTo?: readonly Address[];
  readonly issues: ValidationIssue[];
} {
  if (input === undefined) return { issues: [] };
  const entries: readonly unknown[] = Array.isArray(input) ? input : [input];
  const issues: ValidationIssue[] = [];
  if (entries.length === 0) issues.push({ field: 'replyTo', reason: 'must name an address' });
  if (entries.length > MAX_REPLY_TO)
    issues.push({ field: 'replyTo', reason: `must name at most ${MAX_REPLY_TO} addresses` });
  const replyTo: Address[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseAddress(entry as AddressInput);
    if (parsed.ok) replyTo.push(parsed.address);
    else
      issues.push({
        field: Array.isArray(input) ? `replyTo[${index}]` : 'replyTo',
        reason: parsed.reason,
      });
  });
  return { replyTo, issues };
}

/** `{ "X-Campaign": "spring" }` → headers in the order given. Names differing only in case are one header. */
export function parseHeaders(input: unknown): {
  readonly headers?: readonly EmailHeader[];
  readonly issues: ValidationIssue[];
} {
  if (input === undefined) return { issues: [] };
  if (!isPlainObject(input)) {
    return {
      issues: [{ field: 'headers', reason: 'must be an object of header names to string values' }],
    };
  }
  const issues: ValidationIssue[] = [];
  const entries = Object.entries(input);
  if (entries.length > MAX_HEADERS)
    issues.push({ field: 'headers', reason: `must hold at most ${MAX_HEADERS} headers` });
  const seen = new Set<string>();
  const headers: EmailHeader[] = [];
  let bytes = 0;
  for (const [name, value] of entries) {
    // The name itself is reported as "must be…", so the field names it only once it is printable.
    const field = FIELD_NAME.test(name) ? `headers.${name}` : 'headers';
    const nameProblem = headerNameProblem(name);
    if (nameProblem) {
      issues.push({ field, reason: nameProblem });
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      issues.push({ field, reason: 'is given twice (header names are case-insensitive)' });
      continue;
    }
    seen.add(name.toLowerCase());
    const valueProblem = headerValueProblem(value);
    if (valueProblem) {
      issues.push({ field, reason: valueProblem });
      continue;
    }
    bytes += name.length + utf8ByteLength(value as string);
    headers.push({ name, value: value as string });
  }
  if (bytes > MAX_HEADERS_BYTES)
    issues.push({
      field: 'headers',
      reason: `must be at most ${MAX_HEADERS_BYTES} bytes of names and values together (got ${bytes})`,
    });
  return { headers, issues };
}

function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'header names must not be empty';
  if (!FIELD_NAME.test(name))
    return `header name ${JSON.stringify(name)} must be printable US-ASCII without spaces or colons`;
  if (name.length > MAX_HEADER_NAME_LENGTH)
    return `header names must be at most ${MAX_HEADER_NAME_LENGTH} characters`;
  if (isOwnedHeader(name))
    return 'is set by the service or the relays (Message-ID, Date, From, To, Cc, Bcc, Reply-To, Subject, MIME-Version, Content-*, Resent-*, ARC-*, Authentication-Results, …); use the matching field where there is one';
  return undefined;
}

function headerValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be empty';
  if ([...value].length > MAX_HEADER_VALUE_LENGTH)
    return `must be at most ${MAX_HEADER_VALUE_LENGTH} characters`;
  return headerTextProblem(value);
}

/** String keys to string values, for the owner's own use. */
export function parseMetadata(input: unknown): {
  readonly metadata?: Readonly<Record<string, string>>;
  readonly issues: ValidationIssue[];
} {
  if (input === undefined) return { issues: [] };
  if (!isPlainObject(input))
    return { issues: [{ field: 'metadata', reason: 'must be an object of string values' }] };
  const issues: ValidationIssue[] = [];
  const entries = Object.entries(input);
  if (entries.length > MAX_METADATA_KEYS)
    issues.push({ field: 'metadata', reason: `must hold at most ${MAX_METADATA_KEYS} keys` });
  // Entries, made an object at the end: `metadata["__proto__"] = v` would set no key at all.
  const kept: [string, string][] = [];
  let bytes = 0;
  for (const [key, value] of entries) {
    const problem = metadataKeyProblem(key);
    if (problem) {
      issues.push({ field: 'metadata', reason: problem });
      continue;
    }
    const field = `metadata.${key}`;
    if (typeof value !== 'string') {
      issues.push({ field, reason: 'must be a string' });
      continue;
    }
    if ([...value].length > MAX_METADATA_VALUE_LENGTH) {
      issues.push({ field, reason: `must be at most ${MAX_METADATA_VALUE_LENGTH} characters` });
      continue;
    }
    const text = bodyTextProblem(value);
    if (text) {
      issues.push({ field, reason: text });
      continue;
    }
    bytes += key.length + utf8ByteLength(value);
    kept.push([key, value]);
  }
  const metadata: Record<string, string> = Object.fromEntries(kept);
  if (bytes > MAX_METADATA_BYTES)
    issues.push({
      field: 'metadata',
      reason: `must be at most ${MAX_METADATA_BYTES} bytes of keys and values together (got ${bytes})`,
    });
  return { metadata, issues };
}

function metadataKeyProblem(key: string): string | undefined {
  if (key === '' || key.length > MAX_METADATA_KEY_LENGTH || !METADATA_KEY.test(key))
    return `key ${JSON.stringify(key.slice(0, 60))} must be 1 to ${MAX_METADATA_KEY_LENGTH} letters, digits, _ . or -`;
  return undefined;
}

/**
 * Attachments by reference: the caller has stored the bytes and computed size and hash. Checks each file's
 * name, type and content id, and the counts and sizes against the limits.
 */
export function parseAttachments(
  input: unknown,
  limits: MessagePartLimits,
): { readonly attachments?: readonly AttachmentRef[]; readonly issues: ValidationIssue[] } {
  if (input === undefined) return { issues: [] };
  if (!Array.isArray(input))
    return { issues: [{ field: 'attachments', reason: 'must be a list' }] };
  const issues: ValidationIssue[] = [];
  if (input.length > limits.maxAttachments)
    issues.push({
      field: 'attachments',
      reason: `must hold at most ${limits.maxAttachments} files`,
    });
  const attachments: AttachmentRef[] = [];
  const contentIds = new Set<string>();
  let total = 0;
  input.forEach((entry: unknown, index) => {
    const at = `attachments[${index}]`;
    if (!isPlainObject(entry)) {
      issues.push({ field: at, reason: 'must be an object' });
      return;
    }
    const { filename, contentType, size, sha256, contentId } = entry;
    const before = issues.length;
    // A record holds these and nothing else: no path or URL rides along to whoever reads it later.
    for (const key of Object.keys(entry).filter((k) => !REF_FIELDS.has(k)))
      issues.push({ field: `${at}.${key}`, reason: 'is not a field of an attachment' });
    const name = filenameProblem(filename);
    if (name) issues.push({ field: `${at}.filename`, reason: name });
    const type = contentType ?? DEFAULT_ATTACHMENT_TYPE;
    if (typeof type !== 'string' || type.length > 127 || !CONTENT_TYPE.test(type))
      issues.push({
        field: `${at}.contentType`,
        reason: 'must be a MIME type such as application/pdf',
      });
    if (
      typeof size !== 'number' ||
      !Number.isInteger(size) ||
      size < 0 ||
      size > limits.maxAttachmentBytes
    )
      issues.push({
        field: `${at}.content`,
        reason: `must be at most ${limits.maxAttachmentBytes} bytes`,
      });
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))
      issues.push({ field: `${at}.sha256`, reason: 'must be 64 lower-case hex digits' });
    if (contentId !== undefined) {
      if (
        typeof contentId !== 'string' ||
        contentId.length > MAX_CONTENT_ID_LENGTH ||
        !CONTENT_ID.test(contentId)
      )
        issues.push({
          field: `${at}.contentId`,
          reason: `must be 1 to ${MAX_CONTENT_ID_LENGTH} characters of letters, digits and !#$%&'*+/=?^_\`{|}~.@-`,
        });
      else if (contentIds.has(contentId))
        issues.push({ field: `${at}.contentId`, reason: 'is used by another attachment' });
      else contentIds.add(contentId);
    }
    if (issues.length > before) return;
    total += size as number;
    attachments.push({
      filename: filename as string,
      contentType: (type as string).toLowerCase(),
      size: size as number,
      sha256: sha256 as string,
      ...(contentId === undefined ? {} : { contentId: contentId as string }),
    });
  });
  if (total > limits.maxAttachmentsTotalBytes)
    issues.push({
      field: 'attachments',
      reason: `must be at most ${limits.maxAttachmentsTotalBytes} bytes together (got ${total})`,
    });
  return { attachments, issues };
}

function filenameProblem(filename: unknown): string | undefined {
  if (typeof filename !== 'string' || filename.trim() === '') return 'is required';
  if ([...filename].length > MAX_FILENAME_LENGTH)
    return `must be at most ${MAX_FILENAME_LENGTH} characters`;
  if (/[/\\]/.test(filename)) return 'must be a file name, without / or \\';
  if (filename === '.' || filename === '..') return 'must be a file name';
  return headerTextProblem(filename);
}

/** The shape of a pinned template: the api resolved and rendered it; this keeps the record well-formed. */
export function templateRefIssues(input: unknown): ValidationIssue[] {
  if (input === undefined) return [];
  if (!isPlainObject(input)) return [{ field: 'template', reason: 'must be an object' }];
  const issues: ValidationIssue[] = [];
  const { id, version, variables } = input;
  if (typeof id !== 'string' || id === '' || id.length > 64)
    issues.push({ field: 'template.id', reason: 'must be a template id' });
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    issues.push({ field: 'template.version', reason: 'must be a version number from 1' });
  if (!isPlainObject(variables))
    issues.push({ field: 'template.variables', reason: 'must be an object' });
  else if (utf8ByteLength(JSON.stringify(variables)) > MAX_TEMPLATE_VARIABLES_BYTES)
    issues.push({
      field: 'template.variables',
      reason: `must be at most ${MAX_TEMPLATE_VARIABLES_BYTES} bytes as JSON`,
    });
  return issues;
}

export function asTemplateRef(input: unknown): TemplateRef | undefined {
  if (input === undefined || templateRefIssues(input).length > 0) return undefined;
  const { id, version, variables } = input as unknown as TemplateRef;
  return { id, version, variables };
}

/** Only own enumerable entries are ever read, so any non-array object will do (whatever realm made it). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
