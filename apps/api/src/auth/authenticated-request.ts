import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal';
import type { ActiveSession } from './sessions.repository';

/** The parts of an Express request the auth code reads, plus what the guard sets. */
export interface AuthenticatedRequest extends IncomingMessage {
  /** The path without the query string (Express). */
  readonly path: string;
  /** True over https (Express). */
  readonly secure?: boolean;
  principal?: Principal;
  /** The dashboard session the request was authenticated by, if it was. */
  session?: ActiveSession;
}
