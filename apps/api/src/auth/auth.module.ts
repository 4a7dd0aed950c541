import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig, PG_POOL, PostgresModule } from '@app/platform';
import { AdminSessionsController } from './admin-sessions.controller';
import { hashApiKey } from './api-key';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import {
  ApiThrottlerGuard,
  SIGN_IN_THROTTLER,
  clientAddressBucket,
  isSignInRoute,
} from './api-throttler.guard';
import { migrateAuthSchema } from './auth.migrator';
import { RedisThrottlerStorage, ThrottlerStorageModule } from './redis-throttler.storage';
import { OidcClient } from './oidc/oidc-client';
import { OidcController } from './oidc/oidc.controller';
import { OidcLoginsRepository } from './oidc/oidc-logins.repository';
import { ADMIN_TENANT } from './principal';
import { SessionController } from './session.controller';
import { SessionsRepository } from './sessions.repository';

/**
 * API keys, dashboard sessions (API key or OpenID Connect sign-in) and the two global guards, in
 * this order: the throttler (per key, else per IP, counted in Redis across api processes; sign-in
 * routes also per IP against SIGN_IN_RATE_LIMIT), then the
 * API-key guard (401/403). At start: migrates the `auth` schema and records ADMIN_API_KEY as the one
 * live bootstrap key (an earlier value is revoked).
 */
@Module({
  imports: [
    PostgresModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [APP_CONFIG, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        throttlers: [
          { limit: config.apiRateLimit, ttl: config.apiRateLimitWindowMs },
          {
            name: SIGN_IN_THROTTLER,
            limit: config.signInRateLimit,
            ttl: config.signInRateLimitWindowMs,
            skipIf: (context) => !isSignInRoute(context),
            getTracker: (request) => clientAddressBucket(request),
          },
        ],
        storage,
      }),
    }),
  ],
  controllers: [SessionController, OidcController, AdminSessionsController],
  providers: [
    ApiKeysRepository,
    SessionsRepository,
    OidcLoginsRepository,
    OidcClient,
    ApiKeyAuthenticator,
    { provide: APP_GUARD, useClass: ApiThrottlerGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeysRepository],
})
export class AuthModule implements OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeysRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateAuthSchema(this.pool);
    if (this.config.adminApiKey === undefined) {
      this.logger.warn(
        'ADMIN_API_KEY is unset: no admin key bootstrapped (existing keys still work)',
      );
      return;
    }
    const { live, revoked } = await this.keys.bootstrap({
      keyHash: hashApiKey(this.config.adminApiKey),
      tenantId: ADMIN_TENANT,
      name: 'ADMIN_API_KEY',
    });
    if (revoked > 0) {
      this.logger.log(`ADMIN_API_KEY changed: revoked ${revoked} earlier bootstrap key(s)`);
    }
    if (!live) {
      this.logger.error('ADMIN_API_KEY is a revoked key: set a new value to get an admin key back');
    }
  }
}
