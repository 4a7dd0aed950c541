import type { IncomingMessage } from 'node:http';
import { csrfRefusal } from './csrf';
import { mapOidcAccount } from './oidc/oidc-account';
import { isHttps, isSameOrigin } from './request-origin';
import { readCookie, serializeCookie } from './session-cookie';
import type { ActiveSession } from './sessions.repository';

function request(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

const session = { csrfToken: 'token-123' } as ActiveSession;

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
});

describe('request origin', () => {
  it.each<[Record<string, string>, boolean]>([
    [{ host: 'mail.example' }, true],
    [{ host: 'mail.example', origin: 'https://mail.example' }, true],
    [{ host: 'mail.example', origin: 'https://evil.example' }, false],
    [{ host: 'mail.example', referer: 'https://evil.example/page' }, false],
    [{ host: 'mail.example', origin: 'null' }, false],
    [{ host: 'mail.example', origin: 'not a url' }, false],
  ])('with headers %j is same-origin: %s', (headers, expected) => {
    expect(isSameOrigin(request('POST', headers))).toBe(expected);
  });

  it('counts as https directly or behind a proxy that says so', () => {
    expect(isHttps(request('GET', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isHttps(request('GET', { 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(isHttps(Object.assign(request('GET', {}), { secure: true }))).toBe(true);
  });
});

describe('CSRF protection of cookie-authenticated requests', () => {
  it('lets reads through without a token', () => {
    expect(csrfRefusal(request('GET', { host: 'h' }), session)).toBeUndefined();
  });

  it.each<[string, Record<string, string>]>([
    ['no token', { host: 'h' }],
    ['a wrong token', { host: 'h', 'x-csrf-token': 'token-124' }],
    ['a token of another length', { host: 'h', 'x-csrf-token': 'token' }],
    ['another origin', { host: 'h', origin: 'https://evil.example', 'x-csrf-token': 'token-123' }],
  ])('refuses a write with %s', (_what, headers) => {
    expect(csrfRefusal(request('DELETE', headers), session)).toEqual(expect.any(String));
  });

  it('admits a same-origin write with the token', () => {
    const headers = { host: 'h', origin: 'http://h', 'x-csrf-token': 'token-123' };
    expect(csrfRefusal(request('POST', headers), session)).toBeUndefined();
  });
});

describe('mapping an OpenID Connect account to a role and tenant', () => {
  const config = {
    adminEmails: ['ops@example.com'],
    tenantDomains: new Map([['acme.example', 'acme']]),
  };

  it('makes a listed address an admin, whatever its domain', () => {
    expect(
      mapOidcAccount({ sub: '1', email: 'Ops@Example.com', email_verified: true }, config),
    ).toEqual({ allowed: true, role: 'admin', tenantId: 'admin', subject: 'ops@example.com' });
  });

  it('makes a verified address at a mapped domain a sender of that tenant', () => {
    expect(
      mapOidcAccount({ sub: '2', email: 'ada@acme.example', email_verified: true }, config),
    ).toEqual({ allowed: true, role: 'sender', tenantId: 'acme', subject: 'ada@acme.example' });
  });

  it.each([
    ['no email', { sub: '3' }],
    ['an unverified email', { sub: '4', email: 'ada@acme.example', email_verified: false }],
    ['an unmapped domain', { sub: '5', email: 'eve@elsewhere.example', email_verified: true }],
    ['a look-alike domain', { sub: '6', email: 'eve@evilacme.example', email_verified: true }],
  ])('refuses %s', (_what, claims) => {
    expect(mapOidcAccount(claims, config)).toMatchObject({ allowed: false });
  });
});
