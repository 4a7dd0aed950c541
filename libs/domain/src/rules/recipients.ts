// Who an email goes to. Each entry is judged on its own so one bad address names its own position ('cc[3]'),
// and the count is judged across to, cc and bcc because the relay sees them as one envelope.

import type { ValidationIssue } from '../domain-errors';
import type { Address } from '../email-events';
import { parseAddress, type AddressInput } from './address';

export interface Recipients {
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
}

export interface RecipientsInputs {
  readonly to: unknown;
  readonly cc?: unknown;
  readonly bcc?: unknown;
}

/** Parses every recipient and returns all the issues found; duplicates are counted, not merged. */
export function parseRecipients(
  input: RecipientsInputs,
  maxRecipients: number,
): { readonly recipients: Recipients; readonly issues: readonly ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const list = (field: string, value: unknown): Address[] => {
    if (value === undefined) return [];
    const entries: readonly unknown[] = Array.isArray(value) ? value : [value];
    const addresses: Address[] = [];
    entries.forEach((entry, index) => {
      const parsed = parseAddress(entry as AddressInput);
      if (parsed.ok) addresses.push(parsed.address);
      else
        issues.push({
          field: Array.isArray(value) ? `${field}[${index}]` : field,
          reason: parsed.reason,
        });
    });
    return addresses;
  };
  const to = list('to', input.to);
  const cc = list('cc', input.cc);
  const bcc = list('bcc', input.bcc);

  if (countOf(input.to) === 0)
    issues.push({ field: 'to', reason: 'at least one recipient is required' });
  const total = countOf(input.to) + countOf(input.cc) + countOf(input.bcc);
  if (total > maxRecipients) {
    issues.push({
      field: 'to',
      reason: `to, cc and bcc together name ${total} recipients; at most ${maxRecipients} are allowed`,
    });
  }
  return { recipients: { to, cc, bcc }, issues };
}

function countOf(value: unknown): number {
  if (value === undefined) return 0;
  return Array.isArray(value) ? value.length : 1;
}
