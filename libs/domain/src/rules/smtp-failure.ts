// Which way a failed send goes decides whether an email is retried, given up on, or kept waiting without using
// up its attempts. The guiding question for each signal is: whose fault is it?
//   - the email's (a recipient or the content was refused for good)  → 'permanent': retrying cannot help;
//   - nobody's in particular (a greylist, a busy mailbox, a dropped connection) → 'transient': retry, and count
//     it so the email eventually gives up;
//   - ours (the relay is down, unreachable, or refuses our credentials or TLS) → 'relay-unavailable': every
//     email would fail the same way, so none of them should burn an attempt on it.
// When in doubt we say 'transient': it retries, yet is bounded by maxAttempts.

import type { FailureKind } from '../email-events';

export interface SmtpFailureSignal {
  /** The SMTP reply code, when the relay answered. */
  readonly responseCode?: number;
  /** The transport's error code: a Node socket code (ECONNREFUSED) or a nodemailer one (ECONNECTION). */
  readonly errorCode?: string;
}

// Failures of our own connection, DNS, TLS or credentials: nothing about them depends on the message. ECONNECTION
// is nodemailer's code for failing to connect (and for a 421 close); ETLS and EREQUIRETLS are the TLS handshake;
// EAUTH, ENOAUTH and EOAUTH2 our credentials; EPROXY our proxy; EMAXLIMIT a pooled connection being recycled;
// ELEASE the worker's own stop before the final dot, a relay too slow to take a message inside the lease;
// EHANDOFF the worker's MIN_SEND_GAP_MS hand-off (in Redis) failing before any byte of the message went.
const RELAY_UNAVAILABLE_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EDNS',
  'ECONNECTION',
  'ETLS',
  'EREQUIRETLS',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'EPROXY',
  'ECONFIG',
  'EMAXLIMIT',
  'ELEASE',
  'EHANDOFF',
]);

// Node's certificate failures (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID…).
const TLS_ERROR_CODE = /CERT|^ERR_TLS_|^ERR_SSL_/;

// Problems with the message that no retry can fix, reported by nodemailer before any reply code exists.
const PERMANENT_ERROR_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);

// Reply codes that speak about the relay or our session, not about this email:
//   421 service not available, closing the channel (RFC 5321 §4.2.3);
//   454 TLS or authentication temporarily unavailable (RFC 3207, RFC 4954);
//   530, 534, 535, 538 authentication required, too weak, invalid, or needing encryption (RFC 4954).
// The 5xx among them are a misconfiguration of ours: failing every email for good would be wrong.
const RELAY_UNAVAILABLE_REPLY_CODES = new Set([421, 454, 530, 534, 535, 538]);

export function classifySmtpFailure(signal: SmtpFailureSignal): FailureKind {
  const { responseCode, errorCode } = signal;
  if (errorCode !== undefined && isRelayErrorCode(errorCode)) return 'relay-unavailable';
  if (responseCode !== undefined) {
    if (RELAY_UNAVAILABLE_REPLY_CODES.has(responseCode)) return 'relay-unavailable';
    if (responseCode >= 500 && responseCode <= 599) return 'permanent';
    // Other 4xx are the textbook temporary failure; a 2xx/3xx reported as a failure is a protocol hiccup.
    return 'transient';
  }
  if (errorCode !== undefined && PERMANENT_ERROR_CODES.has(errorCode)) return 'permanent';
  // Timeouts (ETIMEDOUT) and resets (ECONNRESET, EPIPE, ESOCKET) may strike after the relay has read part of
  // the message, so they count; and so does anything we do not recognise.
  return 'transient';
}

function isRelayErrorCode(errorCode: string): boolean {
  return RELAY_UNAVAILABLE_ERROR_CODES.has(errorCode) || TLS_ERROR_CODE.test(errorCode);
}
