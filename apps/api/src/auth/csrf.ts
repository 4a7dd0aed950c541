import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '@app/platform';
import type { AuthenticatedRequest } from './authenticated-request';
import { isSameOrigin } from './request-origin';
import type { ActiveSession } from './sessions.repository';

/** The header a cookie-authenticated state-changing request must carry: the session's token. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request authenticated by the session cookie may not change anything, or undefined when it
 * may. A cookie rides along with requests another site makes the browser send; a token that only
 * our own pages can read (`GET /v1/session`, same-origin) and an Origin equal to our own cannot.
 */
export function csrfRefusal(
  request: AuthenticatedRequest,
  session: Pick<ActiveSession, 'csrfToken'>,
  config: Pick<AppConfig, 'sessionCookieSecure'>,
): string | undefined {
  if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
  if (!isSameOrigin(request, config)) return 'Cross-origin request refused';
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(typeof sent === 'string' ? sent : '');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return `Missing or wrong ${CSRF_HEADER} header (the csrfToken of GET /v1/session)`;
  }
  return undefined;
}
