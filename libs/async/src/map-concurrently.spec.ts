import { mapConcurrently } from './map-concurrently';

describe('mapConcurrently', () => {
  it('answers in the items’ order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3, 0, 6], 3, async (ms, index) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight -= 1;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure, and refuses a limit below 1', async () => {
    await expect(
      mapConcurrently([1, 2, 3], 2, (n) =>
        n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n),
      ),
    ).rejects.toThrow('two');
    await expect(mapConcurrently([1], 0, (n) => Promise.resolve(n))).rejects.toThrow(RangeError);
  });

  it('answers [] for no items', async () => {
    expect(await mapConcurrently([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});
