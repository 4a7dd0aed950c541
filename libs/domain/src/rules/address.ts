// We accept the address forms people actually type and refuse everything a relay or a header parser could read
// differently from us. The grammar is deliberately a strict subset of RFC 5322: quoted local parts, comments,
// IP literals, groups and address lists all parse in surprising ways downstream, and none is needed to send mail.

import type { Address } from '../email-events';
import { headerTextProblem } from './header-text';

export type AddressInput = string | Address;

export type AddressParseResult =
  | { readonly ok: true; readonly address: Address }
  | { readonly ok: false; readonly reason: string };

export const MAX_DISPLAY_NAME_LENGTH = 128;

// RFC 5321 §4.5.3.1: these are the sizes every relay must accept and none need accept more. The 254 for a
// whole address is the 256-octet path limit less its angle brackets.
const MAX_LOCAL_PART_OCTETS = 64;
const MAX_DOMAIN_OCTETS = 253;
const MAX_ADDRESS_OCTETS = 254;
const MAX_LABEL_LENGTH = 63;

// RFC 5322 atext joined by single dots. Being ASCII-only, characters and octets coincide.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const NUMERIC = /^[0-9]+$/;
// Outside quotes these RFC 5322 specials would turn a display name into something else: a list, a group, a
// comment, a route. A stray "." is tolerated, as every mail client does ("John Q. Public").
const UNQUOTED_NAME_SPECIALS = /[:@()[\]]/;
const LIST_SEPARATORS = /[,;]/;
const NAME_FORBIDDEN = /["\\<>]/;
const ASCII = /^[\x20-\x7e]*$/;

const ok = (address: Address): AddressParseResult => ({ ok: true, address });
const fail = (reason: string): AddressParseResult => ({ ok: false, reason });

/**
 * Parses "a@b.com", "Name <a@b.com>", '"Doe, Jane" <a@b.com>' or {address, name} into a canonical Address: the
 * domain lowercased (it is case-insensitive), the local part kept as written (it need not be), names trimmed.
 */
export function parseAddress(input: AddressInput): AddressParseResult {
  if (typeof input === 'string') return parseMailbox(input);
  if ((input as unknown) === undefined || (input as unknown) === null) return fail('is required');
  // Inputs arrive from JSON, so the declared type is a hope until checked.
  const candidate: unknown = input;
  if (isAddressShape(candidate)) return parseAddressObject(candidate);
  return fail('must be an address string or an object {address, name?}');
}

function isAddressShape(value: unknown): value is { address: string; name?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { address?: unknown }).address === 'string'
  );
}

function parseAddressObject(input: { address: string; name?: unknown }): AddressParseResult {
  const spec = parseAddrSpec(input.address);
  if (!spec.ok || input.name === undefined) return spec;
  if (typeof input.name !== 'string') return fail('display name must be a string');
  return withName(spec.address.address, input.name);
}

function parseMailbox(raw: string): AddressParseResult {
  // Before any trimming: trim() would quietly remove a trailing CRLF that is exactly what we must refuse.
  const unsafe = headerTextProblem(raw);
  if (unsafe) return fail(unsafe);
  const text = raw.trim();
  if (text === '') return fail('is required');

  const open = text.indexOf('<');
  if (open === -1) {
    if (LIST_SEPARATORS.test(text)) return fail('must hold exactly one address');
    return parseAddrSpec(text);
  }

  const close = text.indexOf('>', open);
  if (close === -1) return fail('is missing the closing ">"');
  if (close !== text.length - 1) {
    return LIST_SEPARATORS.test(text.slice(close + 1))
      ? fail('must hold exactly one address')
      : fail('must be "Name <address>" with nothing after ">"');
  }
  const spec = parseAddrSpec(text.slice(open + 1, close));
  if (!spec.ok) return spec;

  const phrase = text.slice(0, open).trim();
  if (phrase === '') return spec;
  const name = unquoteDisplayName(phrase);
  return name.ok ? withName(spec.address.address, name.value) : fail(name.reason);
}

function unquoteDisplayName(
  phrase: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  if (phrase.length >= 2 && phrase.startsWith('"') && phrase.endsWith('"')) {
    return { ok: true, value: phrase.slice(1, -1) };
  }
  if (LIST_SEPARATORS.test(phrase)) {
    return {
      ok: false,
      reason: 'must hold exactly one address (quote a display name that contains "," or ";")',
    };
  }
  if (UNQUOTED_NAME_SPECIALS.test(phrase)) {
    return { ok: false, reason: 'display name must be quoted when it contains : @ ( ) [ or ]' };
  }
  return { ok: true, value: phrase };
}

function withName(address: string, rawName: string): AddressParseResult {
  const unsafe = headerTextProblem(rawName);
  if (unsafe) return fail(`display name ${unsafe}`);
  const name = rawName.trim();
  if (name === '') return ok({ address });
  // Quotes and backslashes would need escaping when the header is written and angle brackets make the name
  // look like an address to a reader: refusing them keeps the name inert wherever it is rendered.
  if (NAME_FORBIDDEN.test(name)) return fail('display name must not contain ", \\, < or >');
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH) {
    return fail(`display name must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
  }
  return ok({ address, name });
}

function parseAddrSpec(raw: string): AddressParseResult {
  const unsafe = headerTextProblem(raw);
  if (unsafe) return fail(unsafe);
  const text = raw.trim();
  if (text === '') return fail('is required');
  if (text.includes('<') || text.includes('>'))
    return fail('must be a bare address without "<" or ">"');
  if (text.includes('(') || text.includes(')')) return fail('must not contain comments "( )"');
  if (text.startsWith('"')) return fail('quoted local parts are not accepted');

  const at = text.lastIndexOf('@');
  if (at === -1) return fail('must contain "@"');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);

  const localProblem = localPartProblem(local);
  if (localProblem) return fail(localProblem);
  const domainProblem = domainNameProblem(domain);
  if (domainProblem) return fail(domainProblem);
  if (text.length > MAX_ADDRESS_OCTETS) {
    return fail(`must be at most ${MAX_ADDRESS_OCTETS} characters`);
  }
  return ok({ address: `${local}@${domain.toLowerCase()}` });
}

function localPartProblem(local: string): string | undefined {
  if (local === '') return 'local part (before "@") is empty';
  // SMTPUTF8 mailboxes would need relay support we cannot assume.
  if (!ASCII.test(local)) return 'local part must be ASCII';
  if (local.includes('"')) return 'quoted local parts are not accepted';
  if (!DOT_ATOM.test(local)) {
    return "local part may contain only letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots";
  }
  if (local.length > MAX_LOCAL_PART_OCTETS) {
    return `local part must be at most ${MAX_LOCAL_PART_OCTETS} characters`;
  }
  return undefined;
}

/**
 * Why `domain` is not one an address here may have (ASCII labels of letters, digits and inner hyphens, a
 * dot, no IP literal); undefined when it is. Also how an admin's sender domains are checked, so a
 * configured domain is always one a `from` can match.
 */
export function domainNameProblem(domain: string): string | undefined {
  if (domain === '') return 'domain (after "@") is empty';
  if (domain.startsWith('[')) return 'IP address literals are not accepted';
  // Converting IDNs needs a punycode table the domain does not carry; the A-label form works everywhere.
  if (!ASCII.test(domain))
    return 'domain must be ASCII (use the xn-- form for internationalised domains)';
  if (domain.length > MAX_DOMAIN_OCTETS)
    return `domain must be at most ${MAX_DOMAIN_OCTETS} characters`;
  const labels = domain.split('.');
  if (labels.length < 2) return 'domain must contain a dot';
  for (const label of labels) {
    if (label.length === 0) return 'domain must not contain empty labels';
    if (label.length > MAX_LABEL_LENGTH)
      return `domain labels must be at most ${MAX_LABEL_LENGTH} characters`;
    if (!LDH_LABEL.test(label)) {
      return 'domain labels may contain only letters, digits and inner hyphens';
    }
  }
  // An all-numeric top-level label is how a bare IPv4 address looks; no real TLD is numeric.
  if (NUMERIC.test(labels[labels.length - 1] ?? '')) return 'top-level domain must not be numeric';
  return undefined;
}
