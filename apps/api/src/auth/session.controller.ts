import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { Public, SignIn } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';
import { CurrentPrincipal, type Principal } from './current-principal.decorator';
import { SignInDto } from './dto/sign-in.dto';
import { isHttps, isSameOrigin } from './request-origin';
import { serializeCookie, sessionCookieName } from './session-cookie';
import { SessionView, toSessionView } from './session.view';
import { SessionsRepository } from './sessions.repository';

/** The little of Express's response the controller touches. */
interface HttpResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * The dashboard's session: sign in with an API key (the key goes to the server once and is never
 * kept by the browser), who am I, sign out. OpenID Connect sign-in ends in the same session cookie
 * (oidc.controller.ts).
 */
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 200 with the session and an HttpOnly session cookie; 401 for a wrong key. */
  @Public()
  @SignIn()
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionView })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<SessionView> {
    // Another site must not sign a visitor in to an account of its choosing.
    if (!isSameOrigin(request, this.config))
      throw new ForbiddenException('Cross-origin sign-in refused');
    const key = await this.authenticator.verifyKey(body.apiKey);
    if (!key) throw new UnauthorizedException('Invalid or revoked API key');
    const { token, session } = await this.sessions.create({
      role: key.role,
      tenantId: key.tenantId,
      subject: key.name ?? `API key ${key.id.slice(0, 8)}`,
      method: 'api-key',
      apiKeyId: key.id,
      ttlMs: this.config.sessionTtlMs,
    });
    const secure = isHttps(request, this.config);
    response.setHeader(
      'Set-Cookie',
      serializeCookie(sessionCookieName(secure), token, {
        maxAgeSeconds: this.config.sessionTtlMs / 1000,
        secure,
      }),
    );
    return toSessionView(session);
  }

  @Get()
  @ApiOkResponse({ type: SessionView })
  whoAmI(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
  ): SessionView {
    if (request.session) return toSessionView(request.session);
    return {
      role: principal.role,
      tenantId: principal.tenantId,
      subject: `API key ${principal.keyId.slice(0, 8)}`,
      method: 'bearer',
      csrfToken: null,
      expiresAt: null,
    };
  }

  /** Ends the session (204) and clears the cookie. */
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  async signOut(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    if (request.session) await this.sessions.delete(request.session.tokenHash);
    const secure = isHttps(request, this.config);
    response.setHeader(
      'Set-Cookie',
      serializeCookie(sessionCookieName(secure), '', { maxAgeSeconds: 0, secure }),
    );
  }
}
