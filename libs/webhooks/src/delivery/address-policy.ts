// STUB: helper "delivery" writes the real one (SSRF policy); this only gives the shared signature.
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

/** http(s) only, no userinfo, ≤ 2048 chars; resolves the host (every address it resolves to must be allowed). */
export function checkWebhookUrl(url: string, options: UrlCheckOptions): Promise<UrlCheck> {
  void options;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, reason: 'not a URL' });
  }
  return Promise.resolve({ ok: true, url: parsed, address: parsed.hostname, family: 4 });
}
