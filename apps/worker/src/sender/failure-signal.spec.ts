import { classifySmtpFailure } from '@app/domain';
import { failureDetails } from './failure-signal';

function transportError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('boom'), fields);
}

describe('failureDetails', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a refused connection',
      { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' },
      'relay-unavailable',
    ],
    ['a connect timeout', { code: 'ETIMEDOUT', command: 'CONN' }, 'relay-unavailable'],
    ['a 421 close', { code: 'ECONNECTION', responseCode: 421 }, 'relay-unavailable'],
    ['a 451 at DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, 'transient'],
    ['a 550 recipient', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'permanent'],
    [
      'a reset mid-send',
      { code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'DATA' },
      'transient',
    ],
  ])('classifies %s', (_, fields, kind) => {
    const { message, ...signal } = failureDetails(transportError(fields));
    expect(message).toBe('boom');
    expect(classifySmtpFailure(signal)).toBe(kind);
  });
});
