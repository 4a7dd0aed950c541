import { retryDelayMs } from './send-queue';

describe('the retry backoff of send jobs', () => {
  it('starts at one second and doubles', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never waits more than a minute, however many attempts failed', () => {
    expect(retryDelayMs(7)).toBe(60_000);
    expect(retryDelayMs(1_000_000)).toBe(60_000);
  });
});
