import fc from 'fast-check';
import {
  backoffCeilingMs,
  DEFAULT_RETRY_POLICY,
  maxAttemptsProblem,
  retryDelayMs,
  type RetryPolicy,
} from './retry-policy';

describe('backoffCeilingMs', () => {
  it.each([
    [1, 30_000],
    [2, 120_000],
    [3, 480_000],
    [4, 1_920_000],
    [5, 3_600_000],
    [6, 3_600_000],
    [20, 3_600_000],
  ])('after attempt %p is %p ms by default', (attempt, expected) => {
    expect(backoffCeilingMs(attempt)).toBe(expected);
  });

  it('never decreases from one attempt to the next', () => {
    for (let attempt = 1; attempt < 100; attempt++) {
      expect(backoffCeilingMs(attempt + 1)).toBeGreaterThanOrEqual(backoffCeilingMs(attempt));
    }
  });

  it('stays at the cap when factor^n overflows to Infinity', () => {
    expect(backoffCeilingMs(10_000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('follows a custom policy', () => {
    const policy: RetryPolicy = { baseDelayMs: 1_000, factor: 2, maxDelayMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffCeilingMs(attempt, policy))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])('treats attempt %p as a bug in the caller', (attempt) => {
    expect(() => backoffCeilingMs(attempt)).toThrow(RangeError);
  });
});

describe('retryDelayMs (equal jitter)', () => {
  it('is half the ceiling when random is 0', () => {
    expect(retryDelayMs(1, 0)).toBe(15_000);
    expect(retryDelayMs(5, 0)).toBe(1_800_000);
  });

  it('spreads the other half by random', () => {
    expect(retryDelayMs(1, 0.5)).toBe(22_500);
    expect(retryDelayMs(2, 0.25)).toBe(75_000);
  });

  it('stays below the ceiling as random approaches 1', () => {
    expect(retryDelayMs(1, 0.999_999_9)).toBeLessThan(30_000);
    expect(retryDelayMs(1, 0.999_999_9)).toBeGreaterThanOrEqual(29_999);
  });

  it('never exceeds the cap, whatever the attempt', () => {
    expect(retryDelayMs(50, 0.999)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('is a whole number of milliseconds within [ceiling/2, ceiling] for any attempt and random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const delay = retryDelayMs(attempt, random);
          const ceiling = backoffCeilingMs(attempt);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it('is the same for the same inputs, so a replay agrees', () => {
    expect(retryDelayMs(3, 0.37)).toBe(retryDelayMs(3, 0.37));
  });

  it.each([-0.01, 1, 1.5, Number.NaN])('treats random %p as a bug in the caller', (random) => {
    expect(() => retryDelayMs(1, random)).toThrow(RangeError);
  });
});

describe('maxAttemptsProblem', () => {
  it.each([1, 5, 20])('accepts %p', (value) => {
    expect(maxAttemptsProblem(value, 20)).toBeUndefined();
  });

  it.each([0, -3, 21, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '5', null])(
    'rejects %p',
    (value) => {
      expect(maxAttemptsProblem(value, 20)).toBe('must be an integer from 1 to 20');
    },
  );
});
