import { PassThrough } from 'node:stream';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  EventStoreDBClient,
  SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { EsdbCategorySubscription } from './esdb-category-subscription';

/**
 * The subscription's own logic (batching, pausing, drops, resubscription, dedup) against a fake
 * client: no EventStoreDB server runs here. The fake stands in for `subscribeToAll`'s stream.
 */
class FakeServerStream extends PassThrough {
  unsubscribed = false;
  constructor(readonly options: SubscribeToAllOptions) {
    super({ objectMode: true });
  }
  unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.end();
    return Promise.resolve();
  }
}

class FakeClient {
  readonly streams: FakeServerStream[] = [];
  subscribeToAll(options: SubscribeToAllOptions): AllStreamSubscription {
    const stream = new FakeServerStream(options);
    this.streams.push(stream);
    return stream;
  }
  last(): FakeServerStream {
    const stream = this.streams[this.streams.length - 1];
    if (!stream) throw new Error('no subscription yet');
    return stream;
  }
}

function resolved(
  n: number,
  streamId = `email-${n % 3}`,
  type = 'Happened',
): AllStreamResolvedEvent {
  return {
    event: {
      streamId,
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      isJson: true,
      revision: BigInt(n),
      type,
      created: new Date(1_700_000_000_000 + n),
      data: { n },
      metadata: { schemaVersion: 1 },
      position: { commit: BigInt(n * 100), prepare: BigInt(n * 100) },
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function setUp(options: { maxBatchSize?: number; slowMs?: number; onDrop?: (e: unknown) => void }) {
  const client = new FakeClient();
  const batches: RecordedEvent[][] = [];
  let running = 0;
  let overlapped = false;
  const subscription = new EsdbCategorySubscription(
    client as unknown as EventStoreDBClient,
    'email',
    async (batch) => {
      running += 1;
      overlapped ||= running > 1;
      batches.push([...batch]);
      if (options.slowMs) await new Promise((resolve) => setTimeout(resolve, options.slowMs));
      running -= 1;
    },
    { after: 'start', maxBatchSize: options.maxBatchSize, onDrop: options.onDrop },
  );
  const delivered = (): number[] => batches.flat().map((e) => Number(e.data['n']));
  return { client, batches, subscription, delivered, overlapped: () => overlapped };
}

describe('EsdbCategorySubscription', () => {
  it('subscribes to $all from the start with a prefix filter on the category', async () => {
    const { client, subscription } = setUp({});
    expect(client.last().options.fromPosition).toBe('start');
    expect(client.last().options.filter).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['email-'],
    });
    await subscription.stop();
  });

  it('delivers category events in order, in bounded batches, one handler call at a time', async () => {
    const { client, batches, subscription, delivered, overlapped } = setUp({
      maxBatchSize: 4,
      slowMs: 5,
    });
    const server = client.last();
    for (let n = 1; n <= 20; n += 1) server.write(resolved(n));
    server.write(resolved(21, '$$email-1', '$metadata'));
    server.write(resolved(22, 'email-1', '$>'));
    server.write(resolved(23, 'other-1'));
    await until(() => delivered().length === 20);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect(overlapped()).toBe(false);
    expect(batches[0]?.[0]).toMatchObject({
      streamName: 'email-1',
      revision: 1,
      type: 'Happened',
      metadata: { schemaVersion: 1 },
      position: { commit: 100n, prepare: 100n },
    });
    await subscription.stop();
    expect(server.unsubscribed).toBe(true);
  });

  it('on a drop calls onDrop and resubscribes after the last delivered event, never repeating one', async () => {
    const drops: unknown[] = [];
    const { client, subscription, delivered } = setUp({ onDrop: (e) => drops.push(e) });
    const first = client.last();
    first.write(resolved(1));
    first.write(resolved(2));
    await until(() => delivered().length === 2);
    first.destroy(new Error('UNAVAILABLE'));
    await until(() => client.streams.length === 2);
    expect(drops).toHaveLength(1);
    const second = client.last();
    expect(second.options.fromPosition).toEqual({ commit: 200n, prepare: 200n });
    // A server that treated the position inclusively would send event 2 again.
    second.write(resolved(2));
    second.write(resolved(3));
    await until(() => delivered().length === 3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered()).toEqual([1, 2, 3]);
    // An unexpected end is a drop too, and the backoff doubles.
    const startedAt = Date.now();
    second.end();
    await until(() => client.streams.length === 3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(drops).toHaveLength(2);
    await subscription.stop();
  });

  it('stops and rejects done with the error of a handler that throws', async () => {
    const client = new FakeClient();
    let calls = 0;
    const subscription = new EsdbCategorySubscription(
      client as unknown as EventStoreDBClient,
      'email',
      () => {
        calls += 1;
        return Promise.reject(new Error('refused'));
      },
      { after: 'start' },
    );
    const server = client.last();
    server.write(resolved(1));
    await expect(subscription.done).rejects.toThrow('refused');
    expect(server.unsubscribed).toBe(true);
    await subscription.stop();
    expect(calls).toBe(1);
    expect(client.streams).toHaveLength(1);
  });

  it('stop() resolves only after the running handler call has finished', async () => {
    const { client, subscription, delivered } = setUp({ slowMs: 50 });
    client.last().write(resolved(1));
    await until(() => delivered().length === 1);
    let finished = false;
    void subscription.done.then(() => (finished = true));
    await subscription.stop();
    expect(finished).toBe(true);
  });
});
