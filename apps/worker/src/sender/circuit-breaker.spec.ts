import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const options = { failureThreshold: 3, initialBackoffMs: 1_000, maxBackoffMs: 4_000 };

  it('stays closed while the relay answers between failures, retrying each after the initial backoff', () => {
    const pause = jest.fn(() => Promise.resolve());
    const breaker = new CircuitBreaker(
      { pause, resume: jest.fn(), probe: () => Promise.resolve() },
      options,
    );
    for (let round = 0; round < 10; round += 1) {
      expect(breaker.recordFailure()).toBe(1_000);
      expect(breaker.recordFailure()).toBe(1_000);
      breaker.recordAnswer();
    }
    expect(pause).not.toHaveBeenCalled();
    expect(breaker.isOpen).toBe(false);
    breaker.close();
  });

  it('opens at the threshold, probes with doubling backoff up to the cap, and resumes when the relay answers', async () => {
    const pause = jest.fn(() => Promise.resolve());
    const resume = jest.fn();
    let up = false;
    const probe = jest.fn(() => (up ? Promise.resolve() : Promise.reject(new Error('down'))));
    const breaker = new CircuitBreaker({ pause, resume, probe }, options);

    expect(breaker.recordFailure()).toBe(1_000);
    expect(breaker.recordFailure()).toBe(1_000);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.recordFailure()).toBe(1_000); // the third in a row opens it: next probe at 1 s
    expect(breaker.recordFailure()).toBe(1_000);
    expect(pause).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(1_000); // probe 1 fails → next in 2 s
    expect(breaker.recordFailure()).toBe(3_000);
    await jest.advanceTimersByTimeAsync(2_000); // probe 2 fails → next in 4 s
    await jest.advanceTimersByTimeAsync(4_000); // probe 3 fails → capped at 4 s
    expect(breaker.recordFailure()).toBe(11_000);
    up = true;
    await jest.advanceTimersByTimeAsync(4_000);
    expect(probe).toHaveBeenCalledTimes(4);
    expect(resume).toHaveBeenCalledTimes(1);
    expect(breaker.isOpen).toBe(false);

    // Closed again, and counting from zero.
    expect(breaker.recordFailure()).toBe(12_000);
    expect(breaker.recordFailure()).toBe(12_000);
    expect(pause).toHaveBeenCalledTimes(1);
    expect(breaker.recordFailure()).toBe(12_000);
    expect(pause).toHaveBeenCalledTimes(2);
    breaker.close();
  });
});
