import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the default asks the system resolver, like `fetch`). */
export type HostLookup = (
  hostname: string,
) => Promise<readonly { address: string; family: 4 | 6 }[]>;

export interface UrlCheckOptions {
  /** Allows every address class (local development and tests); the URL's syntax rules still hold. */
  readonly allowPrivateNetworks: boolean;
  readonly lookup?: HostLookup;
}

export type UrlCheck =
  | { readonly ok: true; readonly url: URL; readonly address: string; readonly family: 4 | 6 }
  | { readonly ok: false; readonly reason: string };

/** The longest URL an endpoint may have, as most browsers and CDNs agree. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * A refusal for post-webhook's error message: `policy` is a refused address or URL ("refused: …"); `dns` is a
 * host that could not be resolved, which may be transient.
 */
export type UrlRefusal = {
  readonly ok: false;
  readonly reason: string;
  readonly cause: 'policy' | 'dns';
};

/**
 * http(s) only, no userinfo, ≤ 2048 chars; resolves the host (every address it resolves to must be allowed).
 *
 * The answer names the address to connect to: the caller must connect to exactly that one, never resolve the
 * host again, or a DNS answer that changes between check and connect (rebinding) gets past the check.
 */
export async function checkWebhookUrl(url: string, options: UrlCheckOptions): Promise<UrlCheck> {
  const check = await checkUrl(url, options);
  return check.ok ? check : { ok: false, reason: check.reason };
}

/** {@link checkWebhookUrl} telling a refused address from a host that did not resolve. */
export async function checkUrl(
  raw: string,
  options: UrlCheckOptions,
): Promise<Exclude<UrlCheck, { ok: false }> | UrlRefusal> {
  const refuse = (reason: string): UrlRefusal => ({ ok: false, reason, cause: 'policy' });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(`URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse('URL must use http or https');
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('URL must not contain credentials');
  }
  // Normalising can lengthen a URL (punycode, percent-encoding): what is stored and sent is the normal form.
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(`URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  if (url.hostname === '') {
    return refuse('URL has no host');
  }

  const resolved = await resolve(url.hostname, options.lookup ?? systemLookup);
  if (typeof resolved === 'string') {
    return { ok: false, reason: resolved, cause: 'dns' };
  }
  const judged: Judged[] = [];
  for (const answer of resolved) {
    if (!ipaddr.isValid(answer)) {
      return refuse(`DNS answered ${JSON.stringify(answer)}, not an address`);
    }
    const verdict = judge(ipaddr.parse(answer));
    if (!options.allowPrivateNetworks && verdict.refused !== undefined) {
      return refuse(verdict.refused);
    }
    judged.push(verdict);
  }
  const first = judged[0];
  if (first === undefined) {
    return { ok: false, reason: `DNS: no address for ${url.hostname}`, cause: 'dns' };
  }
  return { ok: true, url, address: first.connectTo, family: first.family };
}

/** The host's addresses, or why there are none. An IP literal is its own answer: no DNS. */
async function resolve(hostname: string, lookup: HostLookup): Promise<readonly string[] | string> {
  // The URL parser has already normalised every IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1) to dotted
  // decimal, and brackets IPv6.
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    return [hostname.slice(1, -1)];
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
    return [hostname];
  }
  try {
    return (await lookup(hostname)).map((answer) => answer.address);
  } catch (error) {
    return dnsFailure(error);
  }
}

const systemLookup: HostLookup = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

function dnsFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'ENODATA':
      return 'DNS: no such host';
    case 'EAI_AGAIN':
    case 'ETIMEOUT':
      return 'DNS: lookup failed for now (try again)';
    default:
      return `DNS: lookup failed${typeof code === 'string' ? ` (${code})` : ''}`;
  }
}

interface Judged {
  /** Why the address is refused (when private networks are not allowed), or undefined if it is public. */
  readonly refused: string | undefined;
  readonly connectTo: string;
  readonly family: 4 | 6;
}

/**
 * IPv4 ranges refused, named for the reason. Checked first for their clear names; beyond them, anything
 * ipaddr.js does not call plain 'unicast' is refused too (an allow-list: a range added to ipaddr.js later is
 * refused, not missed).
 */
const REFUSED_V4: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'], // also Alibaba Cloud's metadata service, 100.100.100.200
  ['127.0.0.0/8', 'loopback'],
  // The cloud metadata services (169.254.169.254) live here. Their names (metadata.google.internal, …) need no
  // list of their own: they resolve to this address, and every resolved address is judged.
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignments)'], // Oracle Cloud's metadata, 192.0.0.192
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay anycast)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
];
const REFUSED_V4_RANGES = REFUSED_V4.map(
  ([cidr, name]) => [ipaddr.IPv4.parseCIDR(cidr), name] as const,
);

/** IPv6 ranges that carry an IPv4 address, judged as that address. */
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');
/** IANA's global unicast: everything outside it is unassigned or special (loopback, ULA, link-local, …). */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

function judge(address: ipaddr.IPv4 | ipaddr.IPv6): Judged {
  if (address.kind() === 'ipv4') {
    const v4 = address as ipaddr.IPv4;
    const text = v4.toString();
    const refused = refusedV4(v4);
    return { refused: refused && `${text} is ${refused}`, connectTo: text, family: 4 };
  }
  const v6 = address as ipaddr.IPv6;
  const text = v6.toString();
  if (v6.isIPv4MappedAddress()) {
    // ::ffff:a.b.c.d reaches a.b.c.d: judge it, and connect to it, as IPv4.
    const v4 = v6.toIPv4Address();
    const refused = refusedV4(v4);
    return {
      refused: refused && `${text} is ${refused} (IPv4-mapped ${v4.toString()})`,
      connectTo: v4.toString(),
      family: 4,
    };
  }
  const embedded = embeddedV4(v6);
  if (embedded !== undefined) {
    const refused = refusedV4(embedded.v4);
    return {
      refused: refused && `${text} is ${refused} (${embedded.via} of ${embedded.v4.toString()})`,
      connectTo: text,
      family: 6,
    };
  }
  const refused = refusedV6(v6);
  return { refused: refused && `${text} is ${refused}`, connectTo: text, family: 6 };
}

function refusedV4(v4: ipaddr.IPv4): string | undefined {
  const named = REFUSED_V4_RANGES.find(([range]) => v4.match(range));
  if (named !== undefined) {
    return named[1];
  }
  const range = v4.range();
  return range === 'unicast' ? undefined : range;
}

/** NAT64 (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16, RFC 3056) addresses reach the IPv4 they embed. */
function embeddedV4(
  v6: ipaddr.IPv6,
): { readonly v4: ipaddr.IPv4; readonly via: string } | undefined {
  const bytes = v6.toByteArray();
  if (v6.match(NAT64)) {
    return { v4: new ipaddr.IPv4(bytes.slice(12, 16)), via: 'NAT64' };
  }
  if (v6.match(SIX_TO_FOUR)) {
    return { v4: new ipaddr.IPv4(bytes.slice(2, 6)), via: '6to4' };
  }
  return undefined;
}

/** Names for the IPv6 classes ipaddr.js knows; any other is named 'special-purpose (<its name>)'. */
const V6_CLASSES: Readonly<Partial<Record<string, string>>> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local (private)', // AWS's IPv6 metadata service, fd00:ec2::254, is one
  multicast: 'multicast',
  // The client's IPv4 is obfuscated in the address and the path goes through a relay: refused outright.
  teredo: 'Teredo (tunnelled IPv4)',
};

function refusedV6(v6: ipaddr.IPv6): string | undefined {
  const range = v6.range();
  if (range === 'unicast') {
    return v6.match(GLOBAL_UNICAST) ? undefined : 'reserved (outside global unicast 2000::/3)';
  }
  // IPv4-translated (rfc6145), NAT64 local-use (64:ff9b:1::/48), documentation, benchmarking, ORCHID, AS112,
  // AMT, deprecated site-local, discard, …: nothing a webhook receiver lives on.
  return V6_CLASSES[range] ?? `special-purpose (${range})`;
}
