import type { EmailRowStatus } from './email-rows';
import { READ_MODEL_VIEWS } from './generations';
import type { EmailCursor } from './email-cursor';

/** The columns a listed email shows: everything but the folded state. */
export const EMAIL_LIST_COLUMNS = [
  'email_id',
  'tenant_id',
  'status',
  'from_address',
  'from_name',
  'recipients',
  'subject',
  'tags',
  'send_at',
  'requested_send_at',
  'due_at',
  'max_attempts',
  'attempts',
  'last_error',
  'sent_at',
  'message_id',
  'cancelled_at',
  'failed_at',
  'revision',
  'position',
  'created_at',
  'updated_at',
  'batch_id',
  'schedule_id',
  'occurrence_at',
  'time_zone',
  'local_send_at',
  'delivery_window',
  'expires_at',
  'paused_at',
  'expired_at',
  'expiry_reason',
  'reply_to',
  'headers',
  'metadata',
  'attachments',
  'attachments_purged_at',
  'template_id',
  'template_version',
].join(', ');

/** The filters of `GET /v1/admin/emails`, already validated. */
export interface EmailFilter {
  readonly tenant?: string;
  readonly status?: EmailRowStatus;
  /** The sender's address (any case). */
  readonly from?: string;
  /** Any to/cc/bcc address (any case). */
  readonly to?: string;
  readonly tag?: string;
  /** Inclusive: send_at >= sendAfter. ISO-8601. */
  readonly sendAfter?: string;
  /** Exclusive: send_at < sendBefore. ISO-8601. */
  readonly sendBefore?: string;
  /** A uuid. */
  readonly batchId?: string;
  /** A uuid. */
  readonly scheduleId?: string;
  /** Pairs the email's metadata must all hold. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Postgres's text of send_at at full precision, in the cursor's form. */
const CURSOR_SEND_AT = `to_char(send_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The one statement the api issues for a page: the filters, the keyset condition and the stable
 * order (send_at, email_id) that every index of a generation ends in. Shared with
 * `bench/read-model-explain.ts`, which checks each filter's plan at 1,000,000 rows.
 */
export function listEmailsSql(
  filter: EmailFilter,
  after: EmailCursor | undefined,
  limit: number,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.tenant !== undefined) where.push(`tenant_id = ${param(filter.tenant)}`);
  if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
  if (filter.from !== undefined) where.push(`from_address = ${param(filter.from.toLowerCase())}`);
  if (filter.to !== undefined) {
    where.push(`recipient_addresses @> ARRAY[${param(filter.to.toLowerCase())}::text]`);
  }
  if (filter.tag !== undefined) where.push(`tags @> ARRAY[${param(filter.tag)}::text]`);
  if (filter.batchId !== undefined) where.push(`batch_id = ${param(filter.batchId)}::uuid`);
  if (filter.scheduleId !== undefined) {
    where.push(`schedule_id = ${param(filter.scheduleId)}::uuid`);
  }
  if (filter.metadata !== undefined) {
    // Containment on the GIN index (jsonb_path_ops); the index is partial, hence the NOT NULL.
    where.push(
      `metadata IS NOT NULL AND metadata @> ${param(JSON.stringify(filter.metadata))}::jsonb`,
    );
  }
  if (filter.sendAfter !== undefined) {
    where.push(`send_at >= ${param(filter.sendAfter)}::timestamptz`);
  }
  if (filter.sendBefore !== undefined) {
    where.push(`send_at < ${param(filter.sendBefore)}::timestamptz`);
  }
  if (after !== undefined) {
    where.push(
      `(send_at, email_id) > (${param(after.sendAt)}::timestamptz, ${param(after.id)}::uuid)`,
    );
  }
  const text = `SELECT ${EMAIL_LIST_COLUMNS}, ${CURSOR_SEND_AT} AS cursor_send_at
  FROM ${READ_MODEL_VIEWS.emails}
 ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
 ORDER BY send_at, email_id
 LIMIT ${param(limit)}`;
  return { text, values };
}
