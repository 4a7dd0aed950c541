import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * helmet's defaults, less `upgrade-insecure-requests`: the Swagger UI at `/docs` loads its scripts
 * and styles from 'self' (which the CSP allows), but that directive would make browsers fetch them
 * over https when the API is reached over plain http on any host but localhost, leaving a blank page.
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
} as const;

/**
 * The dashboard's pages: scripts only from our own files (no inline script, no eval), requests only
 * to our own api, never framed. Styles may be inline because stored email bodies, shown in a
 * sandboxed `srcdoc` iframe that inherits this policy, carry their styles inline; images only
 * from us or `data:`, so a body's remote images and tracking pixels stay unloaded.
 */
export const DASHBOARD_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
} as const;

export function useSecurityHeaders(app: INestApplication): void {
  app.use(helmet(HELMET_OPTIONS));
}

/** Middleware that replaces the API's policy with the dashboard's on the dashboard's responses. */
export function dashboardSecurityHeaders(): ReturnType<typeof helmet.contentSecurityPolicy> {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: DASHBOARD_CSP_DIRECTIVES });
}
