import { csrfRefusal } from './csrf';
import type { AuthenticatedRequest } from './authenticated-request';
import { mapOidcAccount } from './oidc/oidc-account';
import { isHttps, isSameOrigin } from './request-origin';
import { readCookie, serializeCookie, sessionCookieName } from './session-cookie';

/** A request as Express hands it over: `secure` is what the socket or a trusted proxy says. */
function request(
  method: string,
  headers: Record<string, string>,
  secure = false,
): AuthenticatedRequest {
  return { method, headers, secure } as unknown as AuthenticatedRequest;
}

const plain = { sessionCookieSecure: false };
const forced = { sessionCookieSecure: true };
const session = { csrfToken: 'token-123' };

describe('session cookies', () => {
  it('reads one cookie among several', () => {
    expect(readCookie('a=1; es_session=abc%2Fdef; b=2', 'es_session')).toBe('abc/def');
    expect(readCookie('a=1', 'es_session')).toBeUndefined();
    expect(readCookie(undefined, 'es_session')).toBeUndefined();
    expect(readCookie('es_session=%E0%A4%A', 'es_session')).toBeUndefined();
  });

  it('are HttpOnly and SameSite=Lax, Secure only when asked', () => {
    expect(serializeCookie('es_session', 'v', { maxAgeSeconds: 60, secure: false })).toBe(
      'es_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax',
    );
    expect(
      serializeCookie('es_oidc', '', { maxAgeSeconds: 0, secure: true, path: '/v1/auth/oidc' }),
    ).toBe('es_oidc=; Path=/v1/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });

  it('are __Host- prefixed when Secure, with the Path=/ the prefix requires', () => {
    expect(sessionCookieName(true)).toBe('__Host-es_session');
    expect(sessionCookieName(false)).toBe('es_session');
    expect(
      serializeCookie('__Host-es_oidc', 'v', { maxAgeSeconds: 1, secure: true, path: '/v1/x' }),
    ).toBe('__Host-es_oidc=v; Path=/; Max-Age=1; HttpOnly; SameSite=Lax; Secure');
  });
});

describe('request origin', () => {
  it.each<[Record<string, string>, boolean, boolean]>([
    [{ host: 'mail.example' }, false, true],
    [{ host: 'mail.example', origin: 'http://mail.example' }, false, true],
    [{ host: 'mail.example', origin: 'https://mail.example' }, true, true],
    [{ host: 'mail.example', origin: 'https://mail.example:443' }, true, true],
    [{ host: 'mail.example:8443', origin: 'https://mail.example:8443' }, true, true],
    // Same host, another scheme or port: another origin.
    [{ host: 'mail.example', origin: 'http://mail.example' }, true, false],
    [{ host: 'mail.example', origin: 'https://mail.example' }, false, false],
    [{ host: 'mail.example', origin: 'https://mail.example:8443' }, true, false],
    [{ host: 'mail.example', referer: 'http://mail.example/page' }, true, false],
    [{ host: 'mail.example', origin: 'https://evil.example' }, true, false],
    [{ host: 'mail.example', referer: 'https://evil.example/page' }, true, false],
    [{ host: 'mail.example', origin: 'null' }, true, false],
    [{ host: 'mail.example', origin: 'not a url' }, true, false],
  ])('with headers %j over https=%s is same-origin: %s', (headers, secure, expected) => {
    expect(isSameOrigin(request('POST', headers, secure), plain)).toBe(expected);
  });

  it('takes the scheme from Express (socket or trusted proxy), never a bare X-Forwarded-Proto', () => {
    expect(isHttps(request('GET', { 'x-forwarded-proto': 'https' }), plain)).toBe(false);
    expect(isHttps(request('GET', {}, true), plain)).toBe(true);
  });

  it('counts as https everywhere when SESSION_COOKIE_SECURE says TLS ends at a proxy', () => {
    expect(isHttps(request('GET', {}), forced)).toBe(true);
    const fromTheBrowser = request('POST', {
      host: 'mail.example',
      origin: 'https://mail.example',
    });
    expect(isSameOrigin(fromTheBrowser, forced)).toBe(true);
  });
});

describe('CSRF protection of cookie-authenticated requests', () => {
  it('lets reads through without a token', () => {
    expect(csrfRefusal(request('GET', { host: 'h' }), session, plain)).toBeUndefined();
  });

  it.each<[string, Record<string, string>]>([
    ['no token', { host: 'h' }],
    ['a wrong token', { host: 'h', 'x-csrf-token': 'token-124' }],
    ['another origin', { host: 'h', origin: 'https://evil.example', 'x-csrf-token': 'token-123' }],
    ['another scheme', { host: 'h', origin: 'https://h', 'x-csrf-token': 'token-123' }],
  ])('refuses a write with %s', (_what, headers) => {
    expect(csrfRefusal(request('DELETE', headers), session, plain)).toEqual(expect.any(String));
  });

  it('admits a same-origin write with the token', () => {
    const headers = { host: 'h', origin: 'http://h', 'x-csrf-token': 'token-123' };
    expect(csrfRefusal(request('POST', headers), session, plain)).toBeUndefined();
  });
});

describe('mapping an OpenID Connect account to a role and tenant', () => {
  const config = {
    adminEmails: ['ops@example.com'],
    tenantDomains: new Map([['acme.example', 'acme']]),
    hostedDomain: undefined,
  };

  it('makes a listed address an admin, whatever its domain', () => {
    expect(
      mapOidcAccount({ sub: '1', email: 'Ops@Example.com', email_verified: true }, config),
    ).toEqual({ allowed: true, role: 'admin', tenantId: 'admin', email: 'ops@example.com' });
  });

  it('makes a verified address at a mapped domain a sender of that tenant', () => {
    expect(
      mapOidcAccount({ sub: '2', email: 'ada@acme.example', email_verified: true }, config),
    ).toEqual({ allowed: true, role: 'sender', tenantId: 'acme', email: 'ada@acme.example' });
  });

  it.each([
    ['no email', { sub: '3' }],
    ['an unverified email', { sub: '4', email: 'ada@acme.example', email_verified: false }],
    ['an unmapped domain', { sub: '5', email: 'eve@elsewhere.example', email_verified: true }],
    ['a look-alike domain', { sub: '6', email: 'eve@evilacme.example', email_verified: true }],
  ])('refuses %s', (_what, claims) => {
    expect(mapOidcAccount(claims, config)).toMatchObject({ allowed: false });
  });

  it('with OIDC_HOSTED_DOMAIN, admits only accounts whose ID token has that hd', () => {
    const workspace = { ...config, hostedDomain: 'acme.example' };
    const ada = { sub: '7', email: 'ada@acme.example', email_verified: true };
    expect(mapOidcAccount({ ...ada, hd: 'Acme.example' }, workspace)).toMatchObject({
      allowed: true,
    });
    expect(mapOidcAccount(ada, workspace)).toMatchObject({ allowed: false });
    expect(mapOidcAccount({ ...ada, hd: 'other.example' }, workspace)).toMatchObject({
      allowed: false,
    });
  });
});
