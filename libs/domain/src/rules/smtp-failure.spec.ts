import type { FailureKind } from '../email-events';
import { classifySmtpFailure, type SmtpFailureSignal } from './smtp-failure';

describe('classifySmtpFailure', () => {
  it.each<[string, SmtpFailureSignal, FailureKind]>([
    // The relay or our access to it: no email's fault, so no attempt is spent.
    ['421 service not available', { responseCode: 421 }, 'relay-unavailable'],
    [
      '421 reported as ECONNECTION',
      { responseCode: 421, errorCode: 'ECONNECTION' },
      'relay-unavailable',
    ],
    ['454 TLS temporarily unavailable', { responseCode: 454 }, 'relay-unavailable'],
    ['535 bad credentials', { responseCode: 535, errorCode: 'EAUTH' }, 'relay-unavailable'],
    ['530 authentication required', { responseCode: 530 }, 'relay-unavailable'],
    ['EAUTH without a code', { errorCode: 'EAUTH' }, 'relay-unavailable'],
    ['ENOAUTH', { errorCode: 'ENOAUTH' }, 'relay-unavailable'],
    ['EOAUTH2', { errorCode: 'EOAUTH2' }, 'relay-unavailable'],
    ['ECONNREFUSED', { errorCode: 'ECONNREFUSED' }, 'relay-unavailable'],
    ['ENOTFOUND', { errorCode: 'ENOTFOUND' }, 'relay-unavailable'],
    ['EAI_AGAIN', { errorCode: 'EAI_AGAIN' }, 'relay-unavailable'],
    ['EHOSTUNREACH', { errorCode: 'EHOSTUNREACH' }, 'relay-unavailable'],
    ['ENETUNREACH', { errorCode: 'ENETUNREACH' }, 'relay-unavailable'],
    ['EDNS', { errorCode: 'EDNS' }, 'relay-unavailable'],
    ['ECONNECTION', { errorCode: 'ECONNECTION' }, 'relay-unavailable'],
    ['ETLS', { errorCode: 'ETLS' }, 'relay-unavailable'],
    ['EREQUIRETLS', { errorCode: 'EREQUIRETLS' }, 'relay-unavailable'],
    ['an expired certificate', { errorCode: 'CERT_HAS_EXPIRED' }, 'relay-unavailable'],
    [
      'a self-signed certificate',
      { errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      'relay-unavailable',
    ],
    [
      'a certificate for another host',
      { errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      'relay-unavailable',
    ],
    ['an SSL protocol error', { errorCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'relay-unavailable'],
    ['EPROXY', { errorCode: 'EPROXY' }, 'relay-unavailable'],
    ['ECONFIG', { errorCode: 'ECONFIG' }, 'relay-unavailable'],
    ['EMAXLIMIT', { errorCode: 'EMAXLIMIT' }, 'relay-unavailable'],
    // Temporary trouble that may involve this email: retry, and count it.
    ['450 mailbox busy', { responseCode: 450 }, 'transient'],
    ['451 greylisted', { responseCode: 451, errorCode: 'EENVELOPE' }, 'transient'],
    ['452 insufficient storage', { responseCode: 452 }, 'transient'],
    ['ETIMEDOUT', { errorCode: 'ETIMEDOUT' }, 'transient'],
    ['ECONNRESET mid-transaction', { errorCode: 'ECONNRESET' }, 'transient'],
    ['EPIPE', { errorCode: 'EPIPE' }, 'transient'],
    ['ESOCKET', { errorCode: 'ESOCKET' }, 'transient'],
    ['EPROTOCOL', { errorCode: 'EPROTOCOL' }, 'transient'],
    ['ESTREAM', { errorCode: 'ESTREAM' }, 'transient'],
    ['a 2xx reported as a failure', { responseCode: 250 }, 'transient'],
    ['an unknown error code', { errorCode: 'EWHATEVER' }, 'transient'],
    ['no signal at all', {}, 'transient'],
    // This email was refused for good: retrying cannot help.
    ['550 no such user', { responseCode: 550 }, 'permanent'],
    ['552 message too large', { responseCode: 552, errorCode: 'EMESSAGE' }, 'permanent'],
    ['553 mailbox name not allowed', { responseCode: 553, errorCode: 'EENVELOPE' }, 'permanent'],
    ['554 transaction failed', { responseCode: 554 }, 'permanent'],
    ['EENVELOPE without a code (no valid recipients)', { errorCode: 'EENVELOPE' }, 'permanent'],
    ['EMESSAGE without a code', { errorCode: 'EMESSAGE' }, 'permanent'],
    ['EMAXRECIPIENTS', { errorCode: 'EMAXRECIPIENTS' }, 'permanent'],
  ])('%s → %s', (_, signal, expected) => {
    expect(classifySmtpFailure(signal)).toBe(expected);
  });

  it('lets a reply code outrank a generic transport code', () => {
    expect(classifySmtpFailure({ responseCode: 550, errorCode: 'ESOCKET' })).toBe('permanent');
    expect(classifySmtpFailure({ responseCode: 451, errorCode: 'EMESSAGE' })).toBe('transient');
  });

  it('lets our own connection or credentials outrank any reply code', () => {
    expect(classifySmtpFailure({ responseCode: 550, errorCode: 'ECONNECTION' })).toBe(
      'relay-unavailable',
    );
    expect(classifySmtpFailure({ responseCode: 554, errorCode: 'EAUTH' })).toBe(
      'relay-unavailable',
    );
  });
});
