import type { IncomingMessage } from 'node:http';

/**
 * Whether the request came over https: directly, or through a proxy that says so. Only ever used
 * to add `Secure` to a cookie, so believing the header can make a cookie stricter, never weaker.
 */
export function isHttps(request: IncomingMessage & { readonly secure?: boolean }): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  return (
    request.secure === true ||
    (typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https')
  );
}

/**
 * False when the browser says the request comes from another origin: an `Origin` (or, without it,
 * `Referer`) whose host is not the `Host` the request was sent to. Requests without either (curl,
 * scripts) are not browsers acting for someone else, and pass.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const host = request.headers.host;
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin === undefined) return true;
  if (origin === 'null' || host === undefined) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
