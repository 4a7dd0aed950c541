import { MAX_SLOTS_PER_CONNECTION, SendSlots } from './send-slots';

async function sendsTaking(slots: SendSlots, ms: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const release = await slots.acquire();
    await new Promise((resolve) => setTimeout(resolve, ms));
    release();
  }
}

describe('SendSlots', () => {
  it('lets `size` holders in at once and the next in turn as each releases', async () => {
    // Before any send is measured: one per connection.
    const slots = new SendSlots(2, 200);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = slots.acquire().then((release) => {
      order.push('d');
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // a second release of the same slot frees nothing more
    await c;
    expect(order).toEqual(['c']);
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
    expect(slots.inUse).toBe(2);
  });

  it('lets claims run ahead of a relay that answers fast, and none wait behind a slow one', async () => {
    const fast = new SendSlots(2, 1_000);
    expect(fast.size).toBe(2);
    await sendsTaking(fast, 1, 30);
    expect(fast.size).toBe(2 * MAX_SLOTS_PER_CONNECTION);
    const slow = new SendSlots(2, 1_000);
    await sendsTaking(slow, 300, 8);
    expect(slow.size).toBe(2);
  });
});
