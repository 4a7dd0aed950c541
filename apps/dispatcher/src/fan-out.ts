import { EMAIL_CATEGORY } from '@app/email-streams';
import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@app/event-store';
import { inTransaction } from '@app/platform';
import {
  deliveriesFor,
  enqueueDeliveries,
  webhookMessagesOf,
  type EndpointSubscription,
  type WebhookMessage,
} from '@app/webhooks';
import type { Pool, PoolClient } from 'pg';

/** Events of the email category turned into deliveries per transaction. */
export const FAN_OUT_BATCH = 500;
const CHECKPOINT = 'fan-out';

export interface FanOutResult {
  /** Events read past the checkpoint (0: caught up). */
  readonly events: number;
  /** Deliveries enqueued (new rows). */
  readonly enqueued: number;
  /** When the last event read was recorded; undefined when none was read. */
  readonly lastEventAt: Date | undefined;
}

/**
 * One step of the fan-out, in ONE transaction: lock the checkpoint row (concurrent dispatchers queue behind
 * it, so each event is fanned out by one of them at a time), read the next events of the email category after
 * it, enqueue their messages' deliveries to the subscribed endpoints of their tenants, move the checkpoint.
 * A crash before COMMIT leaves both as they were; a repeat after one finds the deliveries there (existing:
 * 'keep'), so a delivered message is never enqueued again.
 */
export function fanOutOnce(pool: Pool, store: EventStore): Promise<FanOutResult> {
  return inTransaction(pool, async (client) => fanOut(client, store, await lockCheckpoint(client)));
}

/**
 * Takes the fan-out's turn and reads its checkpoint. The turn is an advisory lock, not a row lock: a row lock
 * gives the transaction an id while it reads the store, and the Postgres event store shows every category
 * reader (the worker's scheduler among them) only events older than every transaction running with an id,
 * so each fan-out step would hold back the sending of emails appended meanwhile. This transaction gets an id
 * only when it writes, at its end.
 */
async function lockCheckpoint(client: PoolClient): Promise<Position | 'start'> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${CHECKPOINT}`]);
  const { rows } = await client.query<{ commit_position: string; prepare_position: string }>(
    `SELECT commit_position, prepare_position FROM webhooks.checkpoint WHERE name = $1`,
    [CHECKPOINT],
  );
  const row = rows[0];
  if (!row) {
    await client.query(
      `INSERT INTO webhooks.checkpoint (name, commit_position, prepare_position) VALUES ($1, 0, 0)
       ON CONFLICT (name) DO NOTHING`,
      [CHECKPOINT],
    );
    return 'start';
  }
  const position = { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
  return position.commit === 0n && position.prepare === 0n ? 'start' : position;
}

async function moveCheckpoint(client: PoolClient, to: Position): Promise<void> {
  await client.query(
    `UPDATE webhooks.checkpoint SET commit_position = $2, prepare_position = $3, updated_at = now()
      WHERE name = $1`,
    [CHECKPOINT, to.commit.toString(), to.prepare.toString()],
  );
}

async function fanOut(
  client: PoolClient,
  store: EventStore,
  after: Position | 'start',
): Promise<FanOutResult> {
  // The head is read before looking for endpoints, never after: every event up to it was recorded before an
  // endpoint that the look does not find was created, so skipping them owes that endpoint nothing. Read the
  // other way round, an endpoint created between the look and the read would lose the events in between.
  const head = await store.headPosition(EMAIL_CATEGORY);
  if (!(await anyEndpoint(client))) {
    // Webhooks unused: skip to the head without reading a single event.
    if (head !== 'start' && (after === 'start' || comparePositions(head, after) > 0)) {
      await moveCheckpoint(client, head);
    }
    return { events: 0, enqueued: 0, lastEventAt: undefined };
  }
  const events = await store.readCategory(EMAIL_CATEGORY, { after, maxCount: FAN_OUT_BATCH });
  const last = events[events.length - 1];
  if (!last) return { events: 0, enqueued: 0, lastEventAt: undefined };
  const result = { events: events.length, lastEventAt: last.recordedAt };

  const endpoints = await endpointsOfTenants(client, tenantsNamedIn(events));
  if (endpoints.length === 0) {
    // No endpoint of these tenants: the checkpoint moves and no stream is read.
    await moveCheckpoint(client, last.position);
    return { ...result, enqueued: 0 };
  }
  const messages = await messagesOf(store, events, endpoints);
  const enqueued = await enqueueDeliveries(client, deliveriesFor(messages, endpoints), {
    existing: 'keep',
  });
  await moveCheckpoint(client, last.position);
  return { ...result, enqueued };
}

async function anyEndpoint(client: PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM webhooks.endpoints) AS any`,
  );
  return rows[0]?.any ?? false;
}

/**
 * The tenants the events' metadata names, or undefined when one names none (every endpoint is then
 * considered, and the messages' own tenant, folded from the stream, decides).
 */
function tenantsNamedIn(events: readonly RecordedEvent[]): string[] | undefined {
  const tenants = new Set<string>();
  for (const event of events) {
    const tenantId = event.metadata['tenantId'];
    if (typeof tenantId !== 'string') return undefined;
    tenants.add(tenantId);
  }
  return [...tenants];
}

/** Enabled or not: a disabled endpoint's deliveries are enqueued and wait for it to be enabled again. */
async function endpointsOfTenants(
  client: PoolClient,
  tenants: readonly string[] | undefined,
): Promise<EndpointSubscription[]> {
  const { rows } = await client.query<{ id: string; tenant_id: string; event_types: string[] }>(
    `SELECT id, tenant_id, event_types FROM webhooks.endpoints
      WHERE $1::text[] IS NULL OR tenant_id = ANY($1::text[])`,
    [tenants ?? null],
  );
  return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, eventTypes: row.event_types }));
}

/**
 * The messages of the batch's events, in the batch's order. Each stream is read once, from its first event
 * (a message carries the email's state folded up to its revision), and only the events in the batch give
 * messages: later ones come in a later batch, so deliveries enter in position order.
 */
async function messagesOf(
  store: EventStore,
  events: readonly RecordedEvent[],
  endpoints: readonly EndpointSubscription[],
): Promise<WebhookMessage[]> {
  const tenantsWithEndpoints = new Set(endpoints.map((endpoint) => endpoint.tenantId));
  const fromRevision = new Map<string, number>();
  for (const event of events) {
    const tenantId = event.metadata['tenantId'];
    if (typeof tenantId === 'string' && !tenantsWithEndpoints.has(tenantId)) continue;
    const seen = fromRevision.get(event.streamName);
    if (seen === undefined || event.revision < seen)
      fromRevision.set(event.streamName, event.revision);
  }
  const order = new Map(events.map((event, index) => [event.id, index]));
  const perStream = await Promise.all(
    [...fromRevision].map(async ([streamName, revision]) =>
      webhookMessagesOf(await store.readStream(streamName), revision),
    ),
  );
  return perStream
    .flat()
    .filter((message) => order.has(message.event.id))
    .sort((a, b) => (order.get(a.event.id) ?? 0) - (order.get(b.event.id) ?? 0));
}
