import type {
  Position as EsdbPosition,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { Position, RecordedEvent } from '../event-store.port';

/**
 * How EventStoreDB (server ≥ 22.6, gRPC) reports "this event's position is not known": the
 * server encodes -1 as an unsigned 64-bit integer. Older servers send no position on stream
 * reads at all, which client 6.2.1 turns into `{commit: 0n, prepare: 0n}` (protobuf defaults);
 * no event can live at 0/0 because the transaction log starts with an epoch record there.
 */
const UNKNOWN_POSITION_PART = 2n ** 64n - 1n;

export function isKnownPosition(position: EsdbPosition | undefined): position is EsdbPosition {
  if (!position) return false;
  if (position.commit === 0n && position.prepare === 0n) return false;
  return position.commit !== UNKNOWN_POSITION_PART && position.prepare !== UNKNOWN_POSITION_PART;
}

/** System streams (`$…`, including metastreams `$$…`) and system event types (`$…`, links `$>`). */
export function isSystemEvent(event: {
  readonly streamId: string;
  readonly type: string;
}): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function isCategoryEvent(
  event: { readonly streamId: string; readonly type: string },
  category: string,
): boolean {
  return !isSystemEvent(event) && event.streamId.startsWith(`${category}-`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

/** The port's RecordedEvent; only JSON events whose data (and metadata, if any) are objects. */
export function toRecordedEvent(
  event: EsdbRecordedEvent,
  position: EsdbPosition | undefined,
): RecordedEvent {
  if (!isKnownPosition(position)) {
    throw new Error(
      `EventStoreDB returned no position for ${event.streamId}@${event.revision}: ` +
        'positions on stream reads need EventStoreDB 22.6 or later',
    );
  }
  if (!event.isJson || !isPlainObject(event.data)) {
    throw new TypeError(
      `Event ${event.id} (${event.streamId}@${event.revision}, ${event.type}) is not a JSON object event`,
    );
  }
  const metadata: unknown = event.metadata;
  if (metadata !== undefined && !isPlainObject(metadata)) {
    throw new TypeError(
      `Event ${event.id} (${event.streamId}@${event.revision}) has non-object metadata`,
    );
  }
  return {
    id: event.id,
    streamName: event.streamId,
    revision: Number(event.revision),
    type: event.type,
    data: event.data,
    metadata: metadata ?? {},
    // Client 6.x converts the server's "created" (.NET ticks since the Unix epoch) into a Date.
    recordedAt: event.created,
    position: { commit: position.commit, prepare: position.prepare },
  };
}

export function toEsdbPosition(position: Position): EsdbPosition {
  return { commit: position.commit, prepare: position.prepare };
}
