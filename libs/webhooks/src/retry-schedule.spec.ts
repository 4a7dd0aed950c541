import { nextRetryDelayMs } from './retry-schedule';

describe('the webhook retry schedule', () => {
  const delays = [1_000, 60_000];

  it('jitters each delay within [0.8, 1.2] of its value', () => {
    expect(nextRetryDelayMs(delays, 1, () => 0)).toBe(800);
    expect(nextRetryDelayMs(delays, 1, () => 0.5)).toBe(1_000);
    expect(nextRetryDelayMs(delays, 1, () => 0.999_999)).toBe(1_200);
    expect(nextRetryDelayMs(delays, 2, () => 0)).toBe(48_000);
    for (let i = 0; i < 100; i += 1) {
      const delay = nextRetryDelayMs(delays, 2) ?? NaN;
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(72_000);
    }
  });

  it('has no next attempt after the last delay: the delivery fails', () => {
    expect(nextRetryDelayMs(delays, 3)).toBeUndefined();
    expect(nextRetryDelayMs([1_000], 2)).toBeUndefined();
  });
});
