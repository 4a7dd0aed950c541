import type { EventStore } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

// The EventStoreDB adapter runs the shared contract only against a real server
// (e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false); without one the suite is skipped, not passed.
const url = process.env.EVENTSTORE_URL;

describeEventStoreContract('esdb', {
  skipReason: url ? undefined : 'EVENTSTORE_URL is not set: no EventStoreDB server here',
  // Over the server's default MaxAppendSize (1 MiB).
  unstorableData: { blob: 'x'.repeat(2 * 1024 * 1024) },
  create(): Promise<EventStore> {
    if (!url) return Promise.reject(new Error('EVENTSTORE_URL is not set'));
    return Promise.resolve(EsdbEventStore.connect(url));
  },
  async dropConnections(store: EventStore): Promise<void> {
    if (!(store instanceof EsdbEventStore)) {
      throw new TypeError('dropConnections expects a store created by this harness');
    }
    // The client exposes no way to cut its gRPC channel, so the adapter's test hook fails each
    // live subscription stream with the UNAVAILABLE error a lost connection produces.
    await store.simulateConnectionLossForTesting();
  },
});
