// Folding a batch of recorded events into email rows: load each stream's stored state, evolve it with
// the events newer than the row's revision, write all rows back in one statement.
import {
  evolve,
  initialState,
  isEmailEventType,
  type Address,
  type AttachmentRef,
  type DeliveryWindow,
  type EmailHeader,
  type EmailEvent,
  type EmailState,
  type ExpiryReason,
  type LastError,
} from '@app/domain';
import { emailIdOfStream } from '@app/email-streams';
import { formatPosition, type RecordedEvent } from '@app/event-store';
import type { PoolClient } from 'pg';
import { generationSchema } from './generations';

export type EmailRowStatus = Exclude<EmailState['status'], 'initial'>;

/** A row of `read_model.emails`, as `pg` returns it. */
export interface EmailRow {
  readonly email_id: string;
  readonly tenant_id: string;
  readonly status: EmailRowStatus;
  readonly from_address: string;
  readonly from_name: string | null;
  readonly recipients: {
    readonly to: readonly Address[];
    readonly cc: readonly Address[];
    readonly bcc: readonly Address[];
  };
  readonly recipient_addresses: string[];
  readonly subject: string;
  readonly tags: string[];
  readonly requested_send_at: Date;
  readonly send_at: Date;
  readonly due_at: Date | null;
  readonly max_attempts: number;
  readonly attempts: number;
  readonly last_error: LastError | null;
  readonly sent_at: Date | null;
  readonly message_id: string | null;
  /** bigint: text from `pg`. */
  readonly lateness_ms: string | null;
  readonly cancelled_at: Date | null;
  readonly failed_at: Date | null;
  /** bigint: text from `pg`. */
  readonly revision: string;
  readonly position: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly state: EmailState;
  /** bigint: text from `pg`. */
  readonly content_bytes: string;
  readonly batch_id: string | null;
  readonly schedule_id: string | null;
  readonly occurrence_at: Date | null;
  readonly time_zone: string | null;
  readonly local_send_at: string | null;
  readonly delivery_window: DeliveryWindow | null;
  readonly expires_at: Date | null;
  readonly paused_at: Date | null;
  readonly expired_at: Date | null;
  readonly expiry_reason: ExpiryReason | null;
  readonly reply_to: readonly Address[] | null;
  readonly headers: readonly EmailHeader[] | null;
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly attachments: readonly AttachmentRef[] | null;
  readonly attachments_purged_at: Date | null;
  readonly template_id: string | null;
  readonly template_version: number | null;
}

/** A row of `read_model.sender_hourly_sends`. */
export interface SenderHourlySendsRow {
  readonly tenant_id: string;
  readonly sender: string;
  readonly hour: Date;
  /** bigint: text from `pg`. */
  readonly count: string;
}

/** Rows are keyed by uuid: a stream whose email id is not one holds no row. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rowEmailId(streamName: string): string | undefined {
  const emailId = emailIdOfStream(streamName);
  return emailId !== undefined && UUID.test(emailId) ? emailId.toLowerCase() : undefined;
}

interface Folded {
  state: EmailState;
  /** UTF-8 bytes of subject, text and html, fixed by EmailScheduled. */
  contentBytes: number;
  revision: number;
  position: string;
  createdAt: string;
  updatedAt: string;
  changed: boolean;
}

type RowInput = Record<string, unknown>;

const COLUMNS: readonly [string, string][] = [
  ['email_id', 'uuid'],
  ['tenant_id', 'text'],
  ['status', 'text'],
  ['from_address', 'text'],
  ['from_name', 'text'],
  ['recipients', 'jsonb'],
  ['recipient_addresses', 'text[]'],
  ['subject', 'text'],
  ['tags', 'text[]'],
  ['requested_send_at', 'timestamptz'],
  ['send_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['max_attempts', 'integer'],
  ['attempts', 'integer'],
  ['last_error', 'jsonb'],
  ['sent_at', 'timestamptz'],
  ['message_id', 'text'],
  ['lateness_ms', 'bigint'],
  ['cancelled_at', 'timestamptz'],
  ['failed_at', 'timestamptz'],
  ['revision', 'bigint'],
  ['position', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['state', 'jsonb'],
  ['content_bytes', 'bigint'],
  ['batch_id', 'uuid'],
  ['schedule_id', 'uuid'],
  ['occurrence_at', 'timestamptz'],
  ['time_zone', 'text'],
  ['local_send_at', 'text'],
  ['delivery_window', 'jsonb'],
  ['expires_at', 'timestamptz'],
  ['paused_at', 'timestamptz'],
  ['expired_at', 'timestamptz'],
  ['expiry_reason', 'text'],
  ['reply_to', 'jsonb'],
  ['headers', 'jsonb'],
  ['metadata', 'jsonb'],
  ['attachments', 'jsonb'],
  ['attachments_purged_at', 'timestamptz'],
  ['template_id', 'text'],
  ['template_version', 'integer'],
];
const COLUMN_NAMES = COLUMNS.map(([name]) => name).join(', ');
const RECORD_TYPE = COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
const UPDATES = COLUMNS.filter(([name]) => name !== 'email_id' && name !== 'created_at')
  .map(([name]) => `${name} = x.${name}`)
  .join(', ');

/**
 * Applies `events` (in position order) to a generation's tables through `client`, which the caller
 * holds in the transaction that also moves the checkpoint. An event whose revision is not above the
 * row's changes nothing, so a batch applied twice leaves the tables as they were; a send is counted
 * in the hourly table only by the event that moves its row to `sent`, and in its tenant's pending counts
 * only by the events that move it into or out of the pending statuses.
 */
export async function applyEmailEvents(
  client: PoolClient,
  generation: number,
  events: readonly RecordedEvent[],
): Promise<void> {
  const schema = generationSchema(generation);
  const byEmail = groupByEmail(events);
  if (byEmail.size === 0) return;
  const stored = await readStoredRows(client, schema, [...byEmail.keys()]);
  const upserts: RowInput[] = [];
  const sends: HourlySends = new Map();
  const pending: PendingDeltas = new Map();
  for (const [emailId, emailEvents] of byEmail) {
    const start = startingFold(stored.get(emailId));
    const wasPending = isPending(start.state);
    const folded = foldEmail(start, emailEvents, sends);
    if (folded.changed && folded.state.status !== 'initial') upserts.push(toRow(emailId, folded));
    if (isPending(folded.state) !== wasPending && folded.state.status !== 'initial') {
      countPending(pending, folded.state.email.tenantId, wasPending ? -1 : 1, folded.contentBytes);
    }
  }
  await writeRows(client, schema, upserts, stored);
  await addHourlySends(client, schema, sends);
  await addPending(client, schema, pending);
}

/**
 * Not final: scheduled, paused (it sends once resumed) or attempting. Sent, failed, cancelled and expired are
 * final (a manual retry of a failed email makes it scheduled, hence pending, again).
 */
function isPending(state: EmailState): boolean {
  switch (state.status) {
    case 'scheduled':
    case 'paused':
    case 'attempting':
      return true;
    case 'initial':
    case 'sent':
    case 'failed':
    case 'cancelled':
    case 'expired':
      return false;
    default: {
      const unknownState: never = state;
      throw new TypeError(`unknown state ${JSON.stringify(unknownState)}`);
    }
  }
}

/** Per tenant, the change to its pending emails and bytes. */
type PendingDeltas = Map<string, { tenant_id: string; emails: number; bytes: number }>;

function countPending(pending: PendingDeltas, tenantId: string, sign: 1 | -1, bytes: number): void {
  const entry = pending.get(tenantId) ?? { tenant_id: tenantId, emails: 0, bytes: 0 };
  entry.emails += sign;
  entry.bytes += sign * bytes;
  pending.set(tenantId, entry);
}

async function addPending(
  client: PoolClient,
  schema: string,
  pending: PendingDeltas,
): Promise<void> {
  const changes = [...pending.values()].filter(
    (change) => change.emails !== 0 || change.bytes !== 0,
  );
  if (changes.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.tenant_pending (tenant_id, emails, bytes)
     SELECT tenant_id, emails, bytes
       FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, emails bigint, bytes bigint)
     ON CONFLICT (tenant_id) DO UPDATE
       SET emails = ${schema}.tenant_pending.emails + EXCLUDED.emails,
           bytes = ${schema}.tenant_pending.bytes + EXCLUDED.bytes`,
    [JSON.stringify(changes)],
  );
  // Nothing pending is no row, however the counts got there: a live read model (+1 in one batch, -1 in a
  // later one) then equals its replay (both in one batch, no change at all).
  await client.query(
    `DELETE FROM ${schema}.tenant_pending
      WHERE tenant_id = ANY($1::text[]) AND emails = 0 AND bytes = 0`,
    [changes.map((change) => change.tenant_id)],
  );
}

/** What an email counts against its tenant's pending bytes. */
export function contentBytes(email: {
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
}): number {
  return (
    Buffer.byteLength(email.subject) +
    Buffer.byteLength(email.text ?? '') +
    Buffer.byteLength(email.html ?? '')
  );
}

/** The fold state a row was stored with: what continuing it needs. */
interface StoredRow {
  email_id: string;
  revision: string;
  position: string;
  created_at: Date;
  updated_at: Date;
  state: EmailState;
  content_bytes: string;
}

/** Sends per (tenant, sender, hour), keyed by all three. */
type HourlySends = Map<string, { tenant_id: string; sender: string; hour: string; count: number }>;

/** The batch's events of each email's stream, in order; events of other streams are left out. */
function groupByEmail(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byEmail = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const emailId = rowEmailId(event.streamName);
    if (!emailId) continue;
    const list = byEmail.get(emailId);
    if (list) list.push(event);
    else byEmail.set(emailId, [event]);
  }
  return byEmail;
}

async function readStoredRows(
  client: PoolClient,
  schema: string,
  emailIds: readonly string[],
): Promise<Map<string, StoredRow>> {
  const { rows } = await client.query<StoredRow>(
    `SELECT email_id, revision, position, created_at, updated_at, state, content_bytes
       FROM ${schema}.emails WHERE email_id = ANY($1::uuid[])`,
    [emailIds],
  );
  return new Map(rows.map((row) => [row.email_id, row]));
}

/** Where an email's fold starts: its stored row, or nothing yet. */
function startingFold(row: StoredRow | undefined): Folded {
  return row
    ? {
        state: row.state,
        contentBytes: Number(row.content_bytes),
        revision: Number(row.revision),
        position: row.position,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
        changed: false,
      }
    : {
        state: initialState,
        contentBytes: 0,
        revision: -1,
        position: '',
        createdAt: '',
        updatedAt: '',
        changed: false,
      };
}

/** Folds one email's events into `folded`, skipping those at or below its revision; counts its send. */
function foldEmail(folded: Folded, events: readonly RecordedEvent[], sends: HourlySends): Folded {
  for (const recorded of events) {
    if (recorded.revision <= folded.revision) continue;
    const before = folded.state;
    if (isEmailEventType(recorded.type)) {
      const event = { type: recorded.type, data: recorded.data } as EmailEvent;
      folded.state = evolve(before, event);
      if (event.type === 'EmailScheduled' && before.status === 'initial')
        folded.contentBytes = contentBytes(event.data);
      if (
        event.type === 'EmailSent' &&
        before.status !== 'sent' &&
        folded.state.status === 'sent'
      ) {
        countSend(
          sends,
          folded.state.email.tenantId,
          folded.state.email.from.address,
          folded.state.sentAt,
        );
      }
    }
    const recordedAt = recorded.recordedAt.toISOString();
    if (before.status === 'initial' && folded.state.status !== 'initial')
      folded.createdAt = recordedAt;
    folded.revision = recorded.revision;
    folded.position = formatPosition(recorded.position);
    folded.updatedAt = recordedAt;
    folded.changed = true;
  }
  return folded;
}

/** New rows are inserted; stored ones updated, only where the stored revision is older. */
async function writeRows(
  client: PoolClient,
  schema: string,
  upserts: readonly RowInput[],
  stored: ReadonlyMap<string, StoredRow>,
): Promise<void> {
  const inserts = upserts.filter((row) => !stored.has(row.email_id as string));
  const updates = upserts.filter((row) => stored.has(row.email_id as string));
  if (inserts.length > 0) {
    await client.query(
      `INSERT INTO ${schema}.emails (${COLUMN_NAMES})
       SELECT ${COLUMN_NAMES} FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPE})`,
      [JSON.stringify(inserts)],
    );
  }
  if (updates.length > 0) {
    await client.query(
      `UPDATE ${schema}.emails AS e SET ${UPDATES}
         FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPE})
        WHERE e.email_id = x.email_id AND e.revision < x.revision`,
      [JSON.stringify(updates)],
    );
  }
}

async function addHourlySends(
  client: PoolClient,
  schema: string,
  sends: HourlySends,
): Promise<void> {
  if (sends.size === 0) return;
  await client.query(
    `INSERT INTO ${schema}.sender_hourly_sends (tenant_id, sender, hour, count)
     SELECT tenant_id, sender, hour, count
       FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, sender text, hour timestamptz, count bigint)
     ON CONFLICT (sender, hour, tenant_id)
     DO UPDATE SET count = ${schema}.sender_hourly_sends.count + EXCLUDED.count`,
    [JSON.stringify([...sends.values()])],
  );
}

function countSend(sends: HourlySends, tenantId: string, sender: string, sentAt: string): void {
  const hour = new Date(sentAt);
  hour.setUTCMinutes(0, 0, 0);
  const address = sender.toLowerCase();
  const key = `${tenantId}\u0000${address}\u0000${hour.toISOString()}`;
  const entry = sends.get(key);
  if (entry) entry.count += 1;
  else sends.set(key, { tenant_id: tenantId, sender: address, hour: hour.toISOString(), count: 1 });
}

function toRow(emailId: string, folded: Folded): RowInput {
  const state = folded.state;
  if (state.status === 'initial') throw new TypeError('an initial state has no row');
  const email = state.email;
  const details: Record<string, unknown> = { ...email };
  delete details.text; // bodies are not needed to continue the fold
  delete details.html;
  const stored = { ...state, email: details };
  const to = email.to ?? [];
  const cc = email.cc ?? [];
  const bcc = email.bcc ?? [];
  const sentAt = state.status === 'sent' ? state.sentAt : null;
  return {
    email_id: emailId,
    tenant_id: email.tenantId,
    status: state.status,
    from_address: email.from.address.toLowerCase(),
    from_name: email.from.name ?? null,
    recipients: { to, cc, bcc },
    recipient_addresses: [...new Set([...to, ...cc, ...bcc].map((a) => a.address.toLowerCase()))],
    subject: email.subject,
    tags: email.tags ?? [],
    requested_send_at: email.requestedSendAt ?? email.sendAt,
    send_at: email.sendAt,
    due_at: state.status === 'scheduled' ? state.dueAt : null,
    max_attempts: email.maxAttempts,
    attempts: state.attemptsMade,
    last_error: 'lastError' in state ? (state.lastError ?? null) : null,
    sent_at: sentAt,
    message_id: state.status === 'sent' ? state.messageId : null,
    lateness_ms: sentAt === null ? null : Date.parse(sentAt) - Date.parse(email.sendAt),
    cancelled_at: state.status === 'cancelled' ? state.cancelledAt : null,
    failed_at: state.status === 'failed' ? state.failedAt : null,
    revision: folded.revision,
    position: folded.position,
    created_at: folded.createdAt,
    updated_at: folded.updatedAt,
    state: stored,
    content_bytes: folded.contentBytes,
    batch_id: uuidOrNull(email.batchId),
    schedule_id: uuidOrNull(email.scheduleId),
    occurrence_at: email.occurrenceAt ?? null,
    time_zone: email.timeZone ?? null,
    local_send_at: email.localSendAt ?? null,
    delivery_window: email.deliveryWindow ?? null,
    expires_at: email.expiresAt ?? null,
    paused_at: state.status === 'paused' ? state.pausedAt : null,
    expired_at: state.status === 'expired' ? state.expiredAt : null,
    expiry_reason: state.status === 'expired' ? state.reason : null,
    reply_to: email.replyTo ?? null,
    headers: email.headers ?? null,
    metadata: email.metadata ?? null,
    attachments: email.attachments ?? null,
    attachments_purged_at: email.attachmentsPurgedAt ?? null,
    template_id: email.template?.id ?? null,
    template_version: email.template?.version ?? null,
  };
}

/** The api mints batch and schedule ids as uuids; anything else (never written) is no id, not a failed fold. */
function uuidOrNull(id: string | undefined): string | null {
  return id !== undefined && UUID.test(id) ? id.toLowerCase() : null;
}
