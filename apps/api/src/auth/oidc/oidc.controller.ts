import { randomBytes } from 'node:crypto';
import { Controller, Get, Inject, Logger, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { Public, SignIn } from '../auth.decorators';
import type { AuthenticatedRequest } from '../authenticated-request';
import { isHttps } from '../request-origin';
import { SignInMethods } from '../session.view';
import { readCookie, serializeCookie, sessionCookieName } from '../session-cookie';
import { SessionsRepository } from '../sessions.repository';
import { mapOidcAccount } from './oidc-account';
import { OidcClient } from './oidc-client';
import { OidcLoginsRepository, PENDING_LOGIN_TTL_MS } from './oidc-logins.repository';

/**
 * The cookie tying a sign-in in flight to its browser: `__Host-` prefixed over https (Path=/, as
 * the prefix requires), else scoped to the OIDC routes.
 */
function loginCookie(secure: boolean): { name: string; path: string } {
  return secure
    ? { name: '__Host-es_oidc', path: '/' }
    : { name: 'es_oidc', path: '/v1/auth/oidc' };
}

/** The little of Express's response the controller touches. */
interface HttpResponse {
  setHeader(name: string, value: string | string[]): unknown;
  redirect(status: number, url: string): void;
}

/**
 * Sign-in with OpenID Connect (authorization code + PKCE): `login` sends the browser to the
 * provider, `callback` checks what comes back and ends in the dashboard's session cookie, then
 * the dashboard. Failures land on the dashboard's sign-in page with `?error=`.
 */
@Public()
@Controller('v1/auth')
export class OidcController {
  private readonly logger = new Logger('Oidc');

  constructor(
    private readonly client: OidcClient,
    private readonly logins: OidcLoginsRepository,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How the dashboard's sign-in page offers to sign in. */
  @Get('methods')
  @ApiOkResponse({ type: SignInMethods })
  methods(): SignInMethods {
    const oidc = this.config.oidc;
    if (!oidc) return { apiKey: true, oidc: null };
    const host = new URL(oidc.issuer).hostname;
    return { apiKey: true, oidc: { label: host === 'accounts.google.com' ? 'Google' : host } };
  }

  @SignIn()
  @Get('oidc/login')
  async login(@Req() request: AuthenticatedRequest, @Res() response: HttpResponse): Promise<void> {
    if (!this.config.oidc) throw new NotFoundException('OpenID Connect sign-in is not configured');
    const { url, pending } = await this.client.start();
    const browserToken = randomBytes(32).toString('base64url');
    await this.logins.save(browserToken, pending);
    const secure = isHttps(request, this.config);
    const cookie = loginCookie(secure);
    response.setHeader(
      'Set-Cookie',
      serializeCookie(cookie.name, browserToken, {
        maxAgeSeconds: PENDING_LOGIN_TTL_MS / 1000,
        secure,
        path: cookie.path,
      }),
    );
    response.redirect(302, url);
  }

  @SignIn()
  @Get('oidc/callback')
  async callback(
    @Req() request: AuthenticatedRequest,
    @Res() response: HttpResponse,
  ): Promise<void> {
    const oidc = this.config.oidc;
    if (!oidc) throw new NotFoundException('OpenID Connect sign-in is not configured');
    const secure = isHttps(request, this.config);
    const cookie = loginCookie(secure);
    const clearLogin = serializeCookie(cookie.name, '', {
      maxAgeSeconds: 0,
      secure,
      path: cookie.path,
    });
    const browserToken = readCookie(request.headers.cookie, cookie.name);
    const pending = browserToken ? await this.logins.take(browserToken) : undefined;
    if (!pending) {
      this.logger.warn('OIDC callback without a sign-in in flight in this browser');
      response.setHeader('Set-Cookie', clearLogin);
      return response.redirect(302, '/login?error=expired');
    }
    let claims;
    try {
      claims = await this.client.finish(new URL(request.url ?? '/', 'http://x').search, pending);
    } catch (error) {
      this.logger.warn(
        `OIDC sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      response.setHeader('Set-Cookie', clearLogin);
      return response.redirect(302, '/login?error=failed');
    }
    const account = mapOidcAccount(claims, oidc);
    if (!account.allowed) {
      this.logger.warn(`OIDC sign-in refused: ${account.reason}`);
      response.setHeader('Set-Cookie', clearLogin);
      return response.redirect(302, '/login?error=refused');
    }
    const { token } = await this.sessions.create({
      role: account.role,
      tenantId: account.tenantId,
      method: 'oidc',
      identity: {
        issuer: oidc.issuer,
        subject: claims.sub,
        email: account.email,
        hostedDomain: typeof claims.hd === 'string' ? claims.hd.toLowerCase() : null,
      },
      ttlMs: this.config.sessionTtlMs,
    });
    response.setHeader('Set-Cookie', [
      clearLogin,
      serializeCookie(sessionCookieName(secure), token, {
        maxAgeSeconds: this.config.sessionTtlMs / 1000,
        secure,
      }),
    ]);
    response.redirect(302, '/');
  }
}
