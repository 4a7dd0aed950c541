/**
 * The dashboard's session cookie: an opaque random token, HttpOnly, SameSite=Lax. Over https it is
 * `__Host-` prefixed, so the browser only keeps it if it is Secure, Path=/ and has no Domain: a
 * neighbouring subdomain or a plain-http page cannot plant or overwrite it. Over plain http (local
 * development on loopback, tests) browsers refuse `__Host-` cookies, so the plain name is used.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-es_session' : 'es_session';
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** 0 deletes the cookie. */
  readonly maxAgeSeconds: number;
  readonly secure: boolean;
  /** Ignored for a `__Host-` cookie, which must have Path=/. */
  readonly path?: string;
}

/** A `Set-Cookie` value that scripts cannot read and cross-site subrequests do not carry. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const path = name.startsWith('__Host-') ? '/' : (options.path ?? '/');
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
