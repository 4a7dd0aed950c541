import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('pauses once, probes with doubling backoff up to the cap, and resumes when the relay answers', async () => {
    const pause = jest.fn(() => Promise.resolve());
    const resume = jest.fn();
    let up = false;
    const probe = jest.fn(() => (up ? Promise.resolve() : Promise.reject(new Error('down'))));
    const breaker = new CircuitBreaker(
      { pause, resume, probe },
      { initialBackoffMs: 1_000, maxBackoffMs: 4_000 },
    );

    expect(breaker.trip()).toBe(1_000);
    expect(breaker.trip()).toBe(1_000);
    expect(pause).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(1_000); // probe 1 fails → next in 2 s
    expect(breaker.trip()).toBe(3_000);
    await jest.advanceTimersByTimeAsync(2_000); // probe 2 fails → next in 4 s
    await jest.advanceTimersByTimeAsync(4_000); // probe 3 fails → capped at 4 s
    expect(breaker.trip()).toBe(11_000);
    up = true;
    await jest.advanceTimersByTimeAsync(4_000);
    expect(probe).toHaveBeenCalledTimes(4);
    expect(resume).toHaveBeenCalledTimes(1);
    expect(breaker.isOpen).toBe(false);

    expect(breaker.trip()).toBe(12_000);
    expect(pause).toHaveBeenCalledTimes(2);
    breaker.close();
  });
});
