import type { ExpectedRevision } from './event-store.port';

/** The stream was not at the revision the append expected. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no-stream' when it has no events. */
    readonly actual: number | 'no-stream',
  ) {
    super(`Stream ${streamName} expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';

  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
  }
}
