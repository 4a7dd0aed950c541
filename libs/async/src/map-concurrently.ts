/**
 * `fn` over every item with at most `limit` calls in flight, answers in the items' order. The first
 * rejection rejects the whole (the calls already started still run to their end, unawaited).
 */
export async function mapConcurrently<Item, Result>(
  items: readonly Item[],
  limit: number,
  fn: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit ${limit} is not ≥ 1`);
  const results = new Array<Result>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as Item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
