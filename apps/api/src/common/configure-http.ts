import type { IncomingMessage, Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { verifyJsonDepth } from './json-depth';
import { refuseJsonNul, refuseUrlNul } from './nul-characters';
import { setupOpenApi } from './openapi';

/** Request bodies larger than this answer 413. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Routes whose bodies carry attachments as base64 (a third larger than the files): 10 MB of files per email
 * (DomainRules) fits in 15 MB, whether scheduled or replaced by an edit, and a batch may carry a few such
 * emails. Every other body stays at the default.
 */
export const LARGE_BODY_ROUTES: readonly {
  readonly method: string;
  readonly path: RegExp;
  readonly limitBytes: number;
}[] = [
  { method: 'POST', path: /^\/v1\/emails$/, limitBytes: 15 * 1024 * 1024 },
  { method: 'PATCH', path: /^\/v1\/emails\/[^/]+$/, limitBytes: 15 * 1024 * 1024 },
  { method: 'POST', path: /^\/v1\/emails\/batch$/, limitBytes: 32 * 1024 * 1024 },
];

/**
 * Requests on those routes with a body past the default limit that one api process parses at once: each holds
 * several copies of its body while it is read, parsed and checked (~4× its size), so without a bound a few
 * dozen concurrent 15 MB bodies would exhaust the process. The next one is told to come back (503).
 */
export const LARGE_BODIES_IN_FLIGHT = 2;

/** How long past IMPORT_TIMEOUT_MS an import has to answer before Node itself cuts it off. */
export const IMPORT_ANSWER_MARGIN_MS = 60_000;

/**
 * What the HTTP app needs beyond the module graph: which proxies are believed (TRUSTED_PROXIES), the
 * JSON body limits (size, and nesting depth: see json-depth.ts), no NUL in a URL or body
 * (nul-characters.ts) and OpenAPI at `/docs` when API_DOCS
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
  const { trustedProxies, importTimeoutMs } = app.get<AppConfig>(APP_CONFIG);
  // Node cuts any request off after requestTimeout (5 minutes by default) with a bare 408 and no report:
  // a CSV import may take IMPORT_TIMEOUT_MS to arrive and must end with its own answer, which lists the
  // rows already scheduled, so the server's bound lies past it. Slow headers stay bounded by
  // headersTimeout.
  (app.getHttpServer() as Server).requestTimeout = importTimeoutMs + IMPORT_ANSWER_MARGIN_MS;
  express.set('trust proxy', trustedProxies.length > 0 ? [...trustedProxies] : false);
  express.use(refuseUrlNul);
  const depth = verifyJsonDepth();
  const verify = (request: unknown, response: unknown, buffer: Buffer): void => {
    depth(request, response, buffer);
    refuseJsonNul(request, response, buffer);
  };
  express.use(admitLargeBodies());
  // Registered first: a body one of these parses is done, and the default parser below passes it by.
  for (const { method, path, limitBytes } of LARGE_BODY_ROUTES) {
    express.useBodyParser('json', {
      limit: limitBytes,
      type: (request: IncomingMessage) =>
        request.method === method && path.test(request.url?.split('?')[0] ?? '') && isJson(request),
      verify,
    });
  }
  express.useBodyParser('json', {
    limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    verify,
  });
  express.useBodyParser('urlencoded', {
    limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    extended: false,
  });
  if (options.openApi ?? app.get<AppConfig>(APP_CONFIG).apiDocs) setupOpenApi(app);
}

export interface HttpResponse {
  on(event: 'close', listener: () => void): unknown;
  status(code: number): HttpResponse;
  set(field: string, value: string): HttpResponse;
  json(body: unknown): unknown;
}

/**
 * At most LARGE_BODIES_IN_FLIGHT requests past the default body limit (or of unknown length) on the large-body
 * routes at a time; the others are answered 503 with Retry-After before their bodies are read.
 */
export function admitLargeBodies(): (
  request: IncomingMessage,
  response: HttpResponse,
  next: () => void,
) => void {
  let inFlight = 0;
  return (request, response, next) => {
    const path = request.url?.split('?')[0] ?? '';
    const large = LARGE_BODY_ROUTES.some((r) => r.method === request.method && r.path.test(path));
    const length = Number(request.headers['content-length'] ?? Number.NaN);
    if (!large || length <= DEFAULT_BODY_LIMIT_BYTES) {
      next();
      return;
    }
    if (inFlight >= LARGE_BODIES_IN_FLIGHT) {
      // Answered once the body has gone by unread (no memory held): a client still sending it would
      // otherwise meet a closed connection instead of the answer.
      request.on('end', () => {
        response
          .status(503)
          .set('Retry-After', '1')
          .json({
            statusCode: 503,
            error: 'Service Unavailable',
            message: `${LARGE_BODIES_IN_FLIGHT} large request bodies are being read already; retry in a second`,
          });
      });
      request.resume();
      return;
    }
    inFlight += 1;
    response.on('close', () => {
      inFlight -= 1;
    });
    next();
  };
}

function isJson(request: IncomingMessage): boolean {
  return (
    request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/json'
  );
}
