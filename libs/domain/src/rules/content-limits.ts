// Limits on what one email may carry. They protect the relay (which refuses oversized or malformed messages
// only after we have promised to send them) and the event store (every byte is kept forever).

import type { ValidationIssue } from '../domain-errors';
import { bodyTextProblem, headerTextProblem } from './header-text';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
// Tags become metric labels, query filters and header values: a small alphabet keeps them safe in all three.
const TAG_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** UTF-8 size computed from UTF-16 code units; an unpaired surrogate counts as the 3-byte U+FFFD it becomes. */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Why the subject is unacceptable, or undefined. Length counts characters (code points), not bytes. */
export function subjectProblem(subject: unknown, maxLength: number): string | undefined {
  if (typeof subject !== 'string' || subject.trim() === '') return 'is required';
  const unsafe = headerTextProblem(subject);
  if (unsafe) return unsafe;
  if ([...subject].length > maxLength) return `must be at most ${maxLength} characters`;
  return undefined;
}

/**
 * The body rules judge text and html together, so their issues name the field 'body'; a problem inside one
 * part names that part.
 */
export function bodyIssues(text: unknown, html: unknown, maxBodyBytes: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parts = { text, html };
  let bytes = 0;
  let hasContent = false;
  for (const [field, value] of Object.entries(parts)) {
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      issues.push({ field, reason: 'must be a string' });
      continue;
    }
    const problem = bodyTextProblem(value);
    if (problem) issues.push({ field, reason: problem });
    if (value.trim() !== '') hasContent = true;
    bytes += utf8ByteLength(value);
  }
  if (!hasContent) issues.push({ field: 'body', reason: 'text or html is required' });
  if (bytes > maxBodyBytes) {
    issues.push({
      field: 'body',
      reason: `text and html together must be at most ${maxBodyBytes} bytes of UTF-8 (got ${bytes})`,
    });
  }
  return issues;
}

export function tagIssues(tags: unknown): ValidationIssue[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) return [{ field: 'tags', reason: 'must be a list of strings' }];
  const issues: ValidationIssue[] = [];
  if (tags.length > MAX_TAGS)
    issues.push({ field: 'tags', reason: `must hold at most ${MAX_TAGS} tags` });
  tags.forEach((tag: unknown, index) => {
    const reason = tagProblem(tag);
    if (reason) issues.push({ field: `tags[${index}]`, reason });
  });
  return issues;
}

function tagProblem(tag: unknown): string | undefined {
  if (typeof tag !== 'string' || tag === '') return 'must be a non-empty string';
  if (tag.length > MAX_TAG_LENGTH) return `must be at most ${MAX_TAG_LENGTH} characters`;
  if (!TAG_PATTERN.test(tag)) return 'may contain only letters, digits and _ . : -';
  return undefined;
}
