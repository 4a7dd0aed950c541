import type { Pool } from 'pg';
import { READ_MODEL_VIEWS, type EmailRowStatus } from '@app/read-model';
import type { EmailAction } from './email-actions.service';

/** Emails one bulk call acts on at most; more matching means `truncated` and another call. */
export const MAX_BULK_EMAILS = 10_000;

/**
 * The statuses, as the read model shows them, of emails an action may still take: those it accepts, plus
 * `attempting` where an attempt may end back in one of them (a retry after a transient failure, a failure).
 * Emails already final for the action are left out, so they neither fill the 10,000 nor the report.
 */
const CANDIDATES: { readonly [Action in EmailAction]: readonly EmailRowStatus[] } = {
  cancel: ['scheduled', 'paused', 'attempting'],
  pause: ['scheduled', 'attempting'],
  resume: ['paused'],
  retry: ['failed', 'attempting'],
};

export interface BulkFilter {
  readonly tag?: string;
  /** The sender's address, any case. */
  readonly from?: string;
  /** Exclusive, ISO-8601. */
  readonly sendBefore?: string;
}

/** The read model's side of bulk actions: which of a tenant's emails a filter names. */
export class BulkTargets {
  constructor(private readonly pool: Pool) {}

  /** In the list's order (sendAt, id), at most MAX_BULK_EMAILS of them. */
  async find(
    tenantId: string,
    action: EmailAction,
    filter: BulkFilter,
  ): Promise<{ emailIds: string[]; truncated: boolean }> {
    const values: unknown[] = [tenantId, CANDIDATES[action]];
    const where = ['tenant_id = $1', 'status = ANY($2::text[])'];
    if (filter.tag !== undefined) {
      values.push(filter.tag);
      where.push(`tags @> ARRAY[$${values.length}::text]`);
    }
    if (filter.from !== undefined) {
      values.push(filter.from.toLowerCase());
      where.push(`from_address = $${values.length}`);
    }
    if (filter.sendBefore !== undefined) {
      values.push(filter.sendBefore);
      where.push(`send_at < $${values.length}::timestamptz`);
    }
    values.push(MAX_BULK_EMAILS + 1);
    const { rows } = await this.pool.query<{ email_id: string }>(
      `SELECT email_id FROM ${READ_MODEL_VIEWS.emails}
        WHERE ${where.join(' AND ')}
        ORDER BY send_at, email_id LIMIT $${values.length}`,
      values,
    );
    return {
      emailIds: rows.slice(0, MAX_BULK_EMAILS).map((row) => row.email_id),
      truncated: rows.length > MAX_BULK_EMAILS,
    };
  }
}
