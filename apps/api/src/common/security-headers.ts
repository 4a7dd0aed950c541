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

export function useSecurityHeaders(app: INestApplication): void {
  app.use(helmet(HELMET_OPTIONS));
}
