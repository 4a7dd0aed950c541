import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal';

/** The parts of an Express request the auth code reads, plus the principal the guard sets. */
export interface AuthenticatedRequest extends IncomingMessage {
  /** The path without the query string (Express). */
  readonly path: string;
  principal?: Principal;
}
