// A transport error → what the domain classifies (classifySmtpFailure) and records.

import { sanitizeRelayText, type SmtpFailureSignal } from '@app/domain';

export interface FailureDetails extends SmtpFailureSignal {
  readonly message: string;
}

interface TransportError {
  readonly code?: unknown;
  readonly originalCode?: unknown;
  readonly responseCode?: unknown;
  readonly command?: unknown;
  readonly message?: unknown;
}

const MAX_MESSAGE_LENGTH = 500;

export function failureDetails(error: unknown): FailureDetails {
  const e = (typeof error === 'object' && error !== null ? error : {}) as TransportError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const original = typeof e.originalCode === 'string' ? e.originalCode : undefined;
  // nodemailer reports socket failures as ESOCKET and keeps the system code (ECONNREFUSED…) aside; failing to
  // even connect (a timeout included) is the relay being unreachable, whatever the socket said.
  let errorCode = code === 'ESOCKET' && original ? original : code;
  if (e.command === 'CONN' && (errorCode === 'ETIMEDOUT' || errorCode === 'ESOCKET')) {
    errorCode = 'ECONNECTION';
  }
  // By code points, never halving a surrogate pair; the relay's text is hostile input (relay-text.ts).
  const message = sanitizeRelayText(
    typeof e.message === 'string' ? e.message : String(error),
    MAX_MESSAGE_LENGTH,
  );
  return {
    ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    ...(errorCode === undefined ? {} : { errorCode }),
    message,
  };
}
