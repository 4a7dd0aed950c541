import { replay } from '../evolve';
import { HISTORY, LEASE_MS, plus, SEND_AT } from '../testing/email-fixtures';
import { DEFAULT_IN_DOUBT_POLICY, inDoubtResolution, isSendInDoubt } from './in-doubt';

describe('in-doubt sends', () => {
  it('resend by default: a rare duplicate beats a lost email', () => {
    expect(DEFAULT_IN_DOUBT_POLICY).toBe('resend');
  });

  it.each([
    ['resend', 1, 5, 'resend'],
    ['resend', 4, 5, 'resend'],
    ['resend', 5, 5, 'fail'],
    ['resend', 1, 1, 'fail'],
    ['fail', 1, 5, 'fail'],
    ['fail', 5, 5, 'fail'],
  ] as const)(
    'policy %s on attempt %p of %p resolves to %s',
    (policy, attempt, maxAttempts, expected) => {
      expect(inDoubtResolution(policy, attempt, maxAttempts)).toBe(expected);
    },
  );

  describe('isSendInDoubt', () => {
    const leaseUntil = plus(SEND_AT, LEASE_MS);
    const attempting = replay(HISTORY.attempting);

    it('is false while the lease holds', () => {
      expect(isSendInDoubt(attempting, plus(leaseUntil, -1))).toBe(false);
    });

    it('is true from the moment the lease runs out', () => {
      expect(isSendInDoubt(attempting, leaseUntil)).toBe(true);
      expect(isSendInDoubt(attempting, plus(leaseUntil, 60_000))).toBe(true);
    });

    it.each(['initial', 'scheduled', 'sent', 'failed', 'cancelled'] as const)(
      'is false while %s, however late',
      (status) => {
        expect(isSendInDoubt(replay(HISTORY[status]), '2099-01-01T00:00:00Z')).toBe(false);
      },
    );

    it('is false for a malformed now rather than guessing', () => {
      expect(isSendInDoubt(attempting, 'later')).toBe(false);
    });
  });
});
