import { parseDuration, parseDurationList } from './duration';

describe('durations in the configuration', () => {
  it('reads ms, s, m, h and d', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(' 5s ')).toBe(5_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('5d')).toBe(432_000_000);
  });

  it.each(['', '5', 's', '-5s', '1.5s', '5 s', '5w', '5S', '1e3ms'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('reads a list such as the default retry schedule', () => {
    expect(parseDurationList('5s,1m,10m,1h,6h,1d')).toEqual([
      5_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000,
    ]);
    expect(parseDurationList(' 100ms , 200ms ')).toEqual([100, 200]);
  });

  it.each(['', '5s,', '5s,,1m', '0s', '5s,x'])('refuses the list %j', (text) => {
    expect(parseDurationList(text)).toBeUndefined();
  });
});
