import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal';
import type { ActiveSession } from './sessions.repository';

/** The parts of an Express request the auth code reads, plus what the guard sets. */
export interface AuthenticatedRequest extends IncomingMessage {
  /** The path without the query string (Express). */
  readonly path: string;
  /** True over https, or a trusted proxy's X-Forwarded-Proto says so (Express, `trust proxy`). */
  readonly secure?: boolean;
  /** Host and port, or a trusted proxy's X-Forwarded-Host (Express). */
  readonly host?: string;
  principal?: Principal;
  /** The dashboard session the request was authenticated by, if it was. */
  session?: ActiveSession;
}
