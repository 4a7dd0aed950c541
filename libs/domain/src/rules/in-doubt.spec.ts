import { replay } from '../evolve';
import { HISTORY, LEASE_MS, plus, SEND_AT } from '../testing/email-fixtures';
import { DEFAULT_IN_DOUBT_POLICY, inDoubtResolution, isSendInDoubt } from './in-doubt';

describe('in-doubt sends', () => {
  it('resend by default: a rare duplicate beats a lost email', () => {
    expect(DEFAULT_IN_DOUBT_POLICY).toBe('resend');
  });

  it.each([
    ['resend', 1, 3, { resolution: 'resend' }],
    ['resend', 3, 3, { resolution: 'resend' }],
    ['resend', 4, 3, { resolution: 'fail', reason: 'in-doubt-limit' }],
    ['resend', 1, 0, { resolution: 'fail', reason: 'in-doubt-limit' }],
    ['fail', 1, 3, { resolution: 'fail', reason: 'policy' }],
  ] as const)(
    'policy %s on in-doubt resolution %p with at most %p resends: %o',
    (policy, inDoubtCount, maxResends, expected) => {
      expect(inDoubtResolution(policy, inDoubtCount, maxResends)).toEqual(expected);
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
