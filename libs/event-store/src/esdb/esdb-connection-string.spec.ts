import { EventStoreDBClient } from '@eventstore/db-client';
import { toEsdbConnectionString } from './esdb-connection-string';

describe('EVENTSTORE_URL schemes', () => {
  it.each([
    ['kurrentdb://node1:2113?tls=false', 'esdb://node1:2113?tls=false'],
    [
      'kurrentdb+discover://admin:changeit@cluster.internal:2113?tls=true',
      'esdb+discover://admin:changeit@cluster.internal:2113?tls=true',
    ],
    [
      'esdb://node1:2113,node2:2113,node3:2113?tls=true&nodePreference=leader',
      'esdb://node1:2113,node2:2113,node3:2113?tls=true&nodePreference=leader',
    ],
  ])('reads %s as %s', (given, read) => {
    expect(toEsdbConnectionString(given)).toBe(read);
  });

  it('hands the client strings it accepts, a 3-node cluster among them (it connects lazily)', async () => {
    const rejected = 'kurrentdb://node1:2113?tls=false';
    expect(() => EventStoreDBClient.connectionString(rejected)).toThrow(/expected esdb:\/\//);
    for (const url of [
      rejected,
      'kurrentdb+discover://cluster.internal:2113',
      'esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true&nodePreference=leader',
    ]) {
      const client = EventStoreDBClient.connectionString(toEsdbConnectionString(url));
      await client.dispose();
    }
  });
});
