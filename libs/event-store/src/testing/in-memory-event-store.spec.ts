import { InMemoryEventStore } from '@app/testing';
import { describeEventStoreContract } from './event-store.contract';

// The in-memory store the unit specs give the api's handlers and the worker's sender, held to the contract
// the Postgres and EventStoreDB adapters meet. No I/O: it runs in the unit tier.
describeEventStoreContract('in-memory', {
  // Events are JSON; a BigInt is not.
  unstorableData: { count: 1n },
  create: () => Promise.resolve(new InMemoryEventStore()),
  // It has no connection to lose: the contract's resubscription case runs with nothing cut.
  dropConnections: () => Promise.resolve(),
});
