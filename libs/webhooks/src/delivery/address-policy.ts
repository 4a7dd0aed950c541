// STUB: helper "delivery" writes the real policy (every refused address class, the host resolved); this one
// only keeps the signature so the api builds, and refuses what a local test would reach.
import { isIP } from 'node:net';

export type HostLookup = (
  hostname: string,
) => Promise<readonly { address: string; family: 4 | 6 }[]>;

export interface UrlCheckOptions {
  readonly allowPrivateNetworks: boolean;
  readonly lookup?: HostLookup;
}

export type UrlCheck =
  | { readonly ok: true; readonly url: URL; readonly address: string; readonly family: 4 | 6 }
  | { readonly ok: false; readonly reason: string };

const MAX_URL_LENGTH = 2048;

/** http(s) only, no userinfo, ≤ 2048 chars; resolves the host (every address it resolves to must be allowed). */
export function checkWebhookUrl(url: string, options: UrlCheckOptions): Promise<UrlCheck> {
  if (url.length > MAX_URL_LENGTH) {
    return Promise.resolve({ ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, reason: 'must be an absolute http(s) URL' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.resolve({ ok: false, reason: 'must be an http:// or https:// URL' });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return Promise.resolve({ ok: false, reason: 'must not carry a user name or password' });
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (loopback && !options.allowPrivateNetworks) {
    return Promise.resolve({ ok: false, reason: `${host} is a loopback address` });
  }
  const family = isIP(host) === 6 ? 6 : 4;
  return Promise.resolve({ ok: true, url: parsed, address: host, family });
}
