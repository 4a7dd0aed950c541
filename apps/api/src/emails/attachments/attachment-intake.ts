// Attachments arrive as base64 in the JSON body; the domain only ever sees references to them (name, type,
// size, SHA-256). Scheduling and content edits both go through decodeAttachments.

import { createHash } from 'node:crypto';
import { detectMimeType } from 'nodemailer/lib/mime-funcs/mime-types';
import { ValidationError, type ValidationIssue } from '@app/domain';

/** What a request's attachments become: refs for the command, and the bytes to store by their SHA-256. */
export interface DecodedAttachments {
  /** AttachmentRef-shaped, still unvalidated (the domain checks names, types and sizes). */
  readonly refs: unknown;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** What a request may say of a file: its bytes come only as `content`, never a path, a URL or a hash of ours. */
const INPUT_FIELDS: ReadonlySet<string> = new Set([
  'filename',
  'content',
  'contentType',
  'contentId',
]);

// RFC 4648 base64, padding optional: no whitespace, no URL-safe alphabet, no data: prefix.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes `attachments` as the api receives them (`{filename, content, contentType?, contentId?}`). Anything
 * but strict base64 is a 400 naming `attachments[i].content`; the content type, when absent, is guessed from
 * the file name. Other shapes pass through for the domain to refuse by name.
 */
export function decodeAttachments(input: unknown): DecodedAttachments {
  const files = new Map<string, Buffer>();
  if (!Array.isArray(input)) return { refs: input, files };
  const issues: ValidationIssue[] = [];
  const refs = input.map((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
    const { content, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(entry).filter((key) => !INPUT_FIELDS.has(key));
    for (const key of unknown)
      issues.push({
        field: `attachments[${index}].${key}`,
        reason: 'is not a field of an attachment (filename, content, contentType, contentId)',
      });
    if (unknown.length > 0) return entry;
    const bytes = decodeBase64(content);
    if (bytes === undefined) {
      issues.push({ field: `attachments[${index}].content`, reason: 'must be base64 (RFC 4648)' });
      return entry;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files.set(sha256, bytes);
    const contentType =
      rest.contentType ??
      (typeof rest.filename === 'string' ? detectMimeType(rest.filename) : undefined);
    return {
      ...rest,
      ...(contentType === undefined ? {} : { contentType }),
      size: bytes.length,
      sha256,
    };
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return { refs, files };
}

function decodeBase64(content: unknown): Buffer | undefined {
  if (typeof content !== 'string' || !BASE64.test(content)) return undefined;
  const padded = content.endsWith('=');
  if (padded ? content.length % 4 !== 0 : content.length % 4 === 1) return undefined;
  const bytes = Buffer.from(content, 'base64');
  // Buffer.from ignores bits past the last whole byte: a canonical encoding has none, so it round-trips.
  if (bytes.toString('base64').replace(/=+$/, '') !== content.replace(/=+$/, '')) return undefined;
  return bytes;
}
