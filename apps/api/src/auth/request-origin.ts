import type { AppConfig } from '@app/platform';
import type { AuthenticatedRequest } from './authenticated-request';

type OriginRequest = Pick<AuthenticatedRequest, 'headers' | 'secure' | 'host'>;

/**
 * Whether the browser reached us over https: the socket was TLS, or a trusted proxy said so in
 * X-Forwarded-Proto (Express's `req.secure` under `trust proxy`, TRUSTED_PROXIES), or
 * SESSION_COOKIE_SECURE says TLS ends at a proxy in front. An untrusted peer's X-Forwarded-Proto
 * is ignored.
 */
export function isHttps(
  request: OriginRequest,
  config: Pick<AppConfig, 'sessionCookieSecure'>,
): boolean {
  return request.secure === true || config.sessionCookieSecure;
}

/**
 * The origin the browser sent the request to: scheme (isHttps), host and port (the Host header, or
 * a trusted proxy's X-Forwarded-Host), or undefined without a usable host.
 */
function ownOrigin(
  request: OriginRequest,
  config: Pick<AppConfig, 'sessionCookieSecure'>,
): string | undefined {
  const host = request.host ?? request.headers.host;
  if (host === undefined || host === '') return undefined;
  try {
    return new URL(`${isHttps(request, config) ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * False when the browser says the request comes from another origin: an `Origin` (or, without it,
 * `Referer`) whose scheme, host or port differs from the request's own (ownOrigin), so a page on
 * http://host cannot act on https://host. Requests without either (curl, scripts) are not
 * browsers acting for someone else, and pass.
 */
export function isSameOrigin(
  request: OriginRequest,
  config: Pick<AppConfig, 'sessionCookieSecure'>,
): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin === undefined) return true;
  const own = ownOrigin(request, config);
  if (origin === 'null' || own === undefined) return false;
  try {
    return new URL(origin).origin === own;
  } catch {
    return false;
  }
}
