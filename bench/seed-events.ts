// Events written straight into the Postgres event store's table, a few thousand rows per statement: how the
// benches seed histories far faster than appends would. Rows keep their given revisions; positions follow
// the order they are inserted in.
import { randomUUID } from 'node:crypto';
import { EMAIL_EVENT_SCHEMA_VERSION, type EmailEvent } from '@app/domain';
import { emailStreamName } from '@app/email-streams';
import { emailHistory } from '@app/testing';
import type { Pool } from 'pg';

const CHUNK = 5_000;

export interface EventRow {
  readonly event_id: string;
  readonly stream_name: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export function eventRow(
  emailId: string,
  revision: number,
  event: EmailEvent,
  tenantId = 'tenant-a',
): EventRow {
  return {
    event_id: randomUUID(),
    stream_name: emailStreamName(emailId),
    revision,
    type: event.type,
    data: event.data,
    metadata: { schemaVersion: EMAIL_EVENT_SCHEMA_VERSION, tenantId },
  };
}

/** The EmailScheduled of history shape `n`, due at `sendAtMs`. */
export function scheduledAt(emailId: string, n: number, sendAtMs: number): EmailEvent {
  const [event] = emailHistory(emailId, n);
  const sendAt = new Date(sendAtMs).toISOString();
  return { ...event, data: { ...event?.data, requestedSendAt: sendAt, sendAt } } as EmailEvent;
}

export async function insertEvents(pool: Pool, rows: readonly EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await pool.query(
      `INSERT INTO event_store.events (event_id, stream_name, category, revision, type, data, metadata)
       SELECT event_id, stream_name, 'email', revision, type, data, metadata
         FROM jsonb_to_recordset($1::jsonb)
           AS x(event_id uuid, stream_name text, revision bigint, type text, data jsonb, metadata jsonb)`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
}
