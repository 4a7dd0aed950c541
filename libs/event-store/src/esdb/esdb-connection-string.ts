// KurrentDB is EventStoreDB renamed, and its connection strings may use the new scheme names;
// @eventstore/db-client 6 knows only the old ones, which mean exactly the same.

const RENAMED_SCHEMES: readonly [string, string][] = [
  ['kurrentdb+discover://', 'esdb+discover://'],
  ['kurrentdb://', 'esdb://'],
];

/** `kurrentdb://…` and `kurrentdb+discover://…` as the client reads them; others unchanged. */
export function toEsdbConnectionString(connectionString: string): string {
  for (const [renamed, original] of RENAMED_SCHEMES) {
    if (connectionString.toLowerCase().startsWith(renamed)) {
      return original + connectionString.slice(renamed.length);
    }
  }
  return connectionString;
}
