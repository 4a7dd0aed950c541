import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { dashboardSecurityHeaders } from '../common/security-headers';

/** Paths the api answers itself; the dashboard's page fallback never swallows them. */
const API_PATHS = /^\/(v1|health|docs|docs-json|metrics)(\/|$)/;

interface Request extends IncomingMessage {
  readonly path: string;
}
interface Response extends ServerResponse {
  sendFile(path: string, options: { headers: Record<string, string> }): void;
}

/** Whether the request is for one of the dashboard's pages (a browser navigating, not a script). */
export function isDashboardPage(request: {
  method?: string;
  path: string;
  headers: IncomingMessage['headers'];
}): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !API_PATHS.test(request.path) &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

/**
 * Serves the built dashboard (`npm run build` puts it in DASHBOARD_DIR) at `/`, same origin as the
 * api: its hashed assets with long caching, and `index.html` for every page path the browser
 * navigates to (the app routes on the client). Both under the dashboard's strict CSP. Without a
 * build the api runs as before and says so once.
 */
export function useDashboard(app: INestApplication, directory: string): void {
  const root = resolve(directory);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    new Logger('Dashboard').warn(`no dashboard at ${root} (run npm run build); / is not served`);
    return;
  }
  const express = app as NestExpressApplication;
  const csp = dashboardSecurityHeaders();
  express.use('/assets', csp);
  express.useStaticAssets(join(root, 'assets'), {
    prefix: '/assets',
    immutable: true,
    maxAge: '365d',
    index: false,
    fallthrough: false,
  });
  express.use((request: Request, response: Response, next: (error?: unknown) => void) => {
    if (!isDashboardPage(request)) return next();
    csp(request, response, (error?: unknown) => {
      if (error) return next(error);
      response.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
    });
  });
}
