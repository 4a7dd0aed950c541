import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { verifyJsonDepth } from './json-depth';
import { setupOpenApi } from './openapi';

/** Request bodies larger than this answer 413. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * What the HTTP app needs beyond the module graph: which proxies are believed (TRUSTED_PROXIES), the
 * JSON body limits (size, and nesting depth: see json-depth.ts) and OpenAPI at `/docs` when API_DOCS
 * says so (`openApi` overrides it). The
 * ValidationPipe and the exception filter are providers of AppModule (APP_PIPE, APP_FILTER), so
 * every boot gets them.
 */
export function configureHttp(
  app: INestApplication,
  options: { readonly bodyLimitBytes?: number; readonly openApi?: boolean } = {},
): void {
  const express = app as NestExpressApplication;
  // Express believes X-Forwarded-For/-Proto/-Host only from these peers (req.ip, req.secure,
  // req.host); with none, the socket decides and a client cannot claim another address.
  const { trustedProxies } = app.get<AppConfig>(APP_CONFIG);
  express.set('trust proxy', trustedProxies.length > 0 ? [...trustedProxies] : false);
  express.useBodyParser('json', {
    limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    verify: verifyJsonDepth(),
  });
  express.useBodyParser('urlencoded', {
    limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    extended: false,
  });
  if (options.openApi ?? app.get<AppConfig>(APP_CONFIG).apiDocs) setupOpenApi(app);
}
