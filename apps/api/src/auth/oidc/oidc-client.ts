import { Inject, Injectable } from '@nestjs/common';
import type * as OpenId from 'openid-client';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '@app/platform';
import type { OidcClaims } from './oidc-account';
import type { PendingLogin } from './oidc-logins.repository';

/** Asked of the provider: an ID token with the person's (verified) email address. */
const SCOPE = 'openid email profile';

/**
 * The relying party, through openid-client: discovery (once, retried after a failure), the
 * authorization URL with PKCE (S256), state and nonce, and the code exchange that checks them all
 * and the ID token (then userinfo, if the ID token has no email). openid-client is an ES module, loaded on first use, so a process without
 * OIDC_ISSUER never loads it.
 */
@Injectable()
export class OidcClient {
  private configuration: Promise<OpenId.Configuration> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get settings(): OidcConfig | undefined {
    return this.config.oidc;
  }

  async start(): Promise<{ url: string; pending: PendingLogin }> {
    const openId = await import('openid-client');
    const configuration = await this.discover();
    const pending: PendingLogin = {
      state: openId.randomState(),
      nonce: openId.randomNonce(),
      codeVerifier: openId.randomPKCECodeVerifier(),
    };
    const url = openId.buildAuthorizationUrl(configuration, {
      redirect_uri: this.required().redirectUrl,
      scope: SCOPE,
      code_challenge: await openId.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      // Google shows only accounts of this Workspace domain; the ID token's `hd` is still checked
      // (mapOidcAccount), since a browser can drop the parameter.
      ...(this.required().hostedDomain === undefined ? {} : { hd: this.required().hostedDomain }),
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code of the callback (`query`: its query string) for verified ID token claims. */
  async finish(query: string, pending: PendingLogin): Promise<OidcClaims> {
    const openId = await import('openid-client');
    const configuration = await this.discover();
    // The URL the provider redirected to, as registered, whatever host the api sees behind proxies.
    const callback = new URL(this.required().redirectUrl);
    callback.search = query;
    const tokens = await openId.authorizationCodeGrant(configuration, callback, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    if (typeof claims.email === 'string') return claims;
    // Google puts the email in the ID token; a provider following the letter of OpenID Connect
    // Core 5.4 answers the `email` scope at the userinfo endpoint, for the same subject only.
    const userInfo = await openId.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    return {
      sub: claims.sub,
      email: userInfo.email,
      email_verified: userInfo.email_verified,
      hd: claims.hd,
    };
  }

  private required(): OidcConfig {
    if (!this.config.oidc) throw new Error('OIDC_ISSUER is not set');
    return this.config.oidc;
  }

  private discover(): Promise<OpenId.Configuration> {
    if (!this.configuration) {
      const settings = this.required();
      this.configuration = import('openid-client').then((openId) =>
        openId.discovery(
          new URL(settings.issuer),
          settings.clientId,
          settings.clientSecret,
          undefined,
          // The config schema admits plain http only for a provider on loopback.
          new URL(settings.issuer).protocol === 'http:'
            ? { execute: [openId.allowInsecureRequests] }
            : undefined,
        ),
      );
      this.configuration.catch(() => (this.configuration = undefined));
    }
    return this.configuration;
  }
}
