import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEEKDAYS,
  type Address,
  type AttachmentRef,
  type DeliveryWindow,
  type EmailHeader,
  type ExpiryReason,
  type LastError,
  type Weekday,
} from '@app/domain';
import type { EmailRow, EmailRowStatus } from '@app/read-model';
import { EMAIL_STATUSES } from '../dto/list-emails-query.dto';

// Response views: classes only so that OpenAPI can describe them (the swagger plugin reads the
// `.view.ts` files at `nest build`); the api answers with plain objects of these shapes.

export class AddressView implements Address {
  readonly address!: string;
  readonly name?: string;
}

const LAST_ERROR_KINDS: Record<LastError['kind'], true> = {
  transient: true,
  permanent: true,
  'relay-unavailable': true,
  'in-doubt': true,
};

/** The latest thing that went wrong; kind 'in-doubt' when a worker vanished mid-attempt. */
export class LastErrorView implements LastError {
  @ApiProperty({ enum: Object.keys(LAST_ERROR_KINDS), enumName: 'FailureKind' })
  readonly kind!: LastError['kind'];
  /** The SMTP reply code, when there was one. */
  readonly code?: number;
  /** The transport's error code (ECONNREFUSED, say); never shown to a sender key. */
  readonly errorCode?: string;
  /**
   * What went wrong: the relay's reply or the error's text, sanitised; for a sender key a fixed reason
   * per `kind` instead, and no `code` when the kind is 'relay-unavailable' (it is about our relay).
   */
  readonly message!: string;
  readonly attempt!: number;
  readonly at!: string;
}

/** When the email may go out, in the window's zone's wall-clock time. */
export class DeliveryWindowView implements DeliveryWindow {
  readonly timeZone!: string;
  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday', isArray: true })
  readonly days!: readonly Weekday[];
  /** "HH:MM". */
  readonly start!: string;
  /** "HH:MM"; at or before start, the window crosses midnight. */
  readonly end!: string;
}

/** A header of the owner's, sent as given. */
export class EmailHeaderView implements EmailHeader {
  readonly name!: string;
  readonly value!: string;
}

/** A file sent with the email: what it is, never its bytes. */
export class AttachmentView implements AttachmentRef {
  readonly filename!: string;
  readonly contentType!: string;
  /** Bytes. */
  readonly size!: number;
  /** Lower-case hex SHA-256 of the bytes. */
  readonly sha256!: string;
  /** Set for an inline part, which the html references as `cid:<contentId>`. */
  readonly contentId?: string;
}

/** The template version subject and bodies were rendered from (pinned at scheduling). */
export class TemplatePinView {
  readonly id!: string;
  readonly version!: number;
}

const EXPIRY_REASONS: Record<ExpiryReason, true> = {
  'deadline-passed': true,
  'retry-after-deadline': true,
  'rate-limit-after-deadline': true,
  'window-after-deadline': true,
};

/** What `GET /v1/emails/:id` and each item of `GET /v1/admin/emails` show: a read-model row. */
export class EmailView {
  readonly id!: string;
  readonly tenant!: string;
  @ApiProperty({ enum: EMAIL_STATUSES, enumName: 'EmailStatus' })
  readonly status!: EmailRowStatus;
  readonly from!: AddressView;
  @ApiProperty({ type: [AddressView] })
  readonly to!: readonly AddressView[];
  @ApiProperty({ type: [AddressView] })
  readonly cc!: readonly AddressView[];
  @ApiProperty({ type: [AddressView] })
  readonly bcc!: readonly AddressView[];
  readonly subject!: string;
  @ApiProperty({ type: [String] })
  readonly tags!: readonly string[];
  /** When it is (now) meant to go out: moved by reschedules and rate-limit deferrals. */
  readonly sendAt!: string;
  /** The sendAt the email was first scheduled with. */
  readonly requestedSendAt!: string;
  /** When the next attempt is due (scheduled emails only, retries included). */
  readonly dueAt!: string | null;
  readonly maxAttempts!: number;
  readonly attempts!: number;
  readonly lastError!: LastErrorView | null;
  readonly sentAt!: string | null;
  readonly messageId!: string | null;
  readonly cancelledAt!: string | null;
  readonly failedAt!: string | null;
  /** Set when sendAt was asked as wall-clock time: the IANA zone it was resolved in. */
  readonly timeZone?: string;
  /** That wall-clock sendAt as asked (`sendAt` is the instant it resolved to). */
  readonly localSendAt?: string;
  readonly deliveryWindow?: DeliveryWindowView;
  /** The send-by deadline: never sent at or after it. */
  readonly expiresAt?: string;
  /** The batch (POST /v1/emails/batch, a CSV import) it came in with. */
  readonly batchId?: string;
  /** The recurring schedule it is an occurrence of, and that occurrence's instant. */
  readonly scheduleId?: string;
  readonly occurrenceAt?: string;
  /** While paused: since when. */
  readonly pausedAt?: string;
  /** Once expired: when, and why. */
  readonly expiredAt?: string;
  @ApiProperty({ enum: Object.keys(EXPIRY_REASONS), enumName: 'ExpiryReason', required: false })
  readonly expiryReason?: ExpiryReason;
  /** Where replies go; absent: to `from`. */
  @ApiProperty({ type: [AddressView], required: false })
  readonly replyTo?: readonly AddressView[];
  @ApiProperty({ type: [EmailHeaderView], required: false })
  readonly headers?: readonly EmailHeaderView[];
  /** The owner's own string pairs: never sent, filterable with `?metadata=key:value`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  readonly metadata?: Readonly<Record<string, string>>;
  @ApiProperty({ type: [AttachmentView], required: false })
  readonly attachments?: readonly AttachmentView[];
  /** Once the attachments' bytes were deleted (a retention after the email became final). */
  readonly attachmentsPurgedAt?: string;
  readonly template?: TemplatePinView;
  /** The stream revision the row reflects (the ETag). */
  readonly revision!: number;
  /**
   * The category position the row reflects, `"<commit>/<prepare>"`. Admins only: the position counts
   * every tenant's writes.
   */
  readonly position?: string;
  readonly createdAt!: string;
  readonly updatedAt!: string;
}

/** A page of `GET /v1/emails` or `GET /v1/admin/emails`. */
export class EmailPage {
  @ApiProperty({ type: [EmailView] })
  readonly items!: readonly EmailView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor!: string | null;
}

export type EmailViewRow = Omit<EmailRow, 'state' | 'recipient_addresses' | 'lateness_ms'>;

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** `{[key]: value}` when there is a value, `{}` when the column is NULL: absent fields, not nulls. */
function present<K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> {
  return value === null ? {} : ({ [key]: value } as Record<K, V>);
}

type TimingAndGroups = Pick<
  EmailView,
  | 'timeZone'
  | 'localSendAt'
  | 'deliveryWindow'
  | 'expiresAt'
  | 'batchId'
  | 'scheduleId'
  | 'occurrenceAt'
  | 'pausedAt'
  | 'expiredAt'
  | 'expiryReason'
>;

type MessageParts = Pick<
  EmailView,
  'replyTo' | 'headers' | 'metadata' | 'attachments' | 'attachmentsPurgedAt' | 'template'
>;

/** The optional parts issue 19 added, as a view shows them. */
function messageParts(row: EmailViewRow): MessageParts {
  return {
    ...present('replyTo', row.reply_to),
    ...present('headers', row.headers),
    ...present('metadata', row.metadata),
    ...present('attachments', row.attachments),
    ...present('attachmentsPurgedAt', iso(row.attachments_purged_at)),
    ...present(
      'template',
      row.template_id === null || row.template_version === null
        ? null
        : { id: row.template_id, version: row.template_version },
    ),
  };
}

/** The optional parts issue 18 added, as a view shows them. */
function timingAndGroups(row: EmailViewRow): TimingAndGroups {
  return {
    ...present('timeZone', row.time_zone),
    ...present('localSendAt', row.local_send_at),
    ...present('deliveryWindow', row.delivery_window),
    ...present('expiresAt', iso(row.expires_at)),
    ...present('batchId', row.batch_id),
    ...present('scheduleId', row.schedule_id),
    ...present('occurrenceAt', iso(row.occurrence_at)),
    ...present('pausedAt', iso(row.paused_at)),
    ...present('expiredAt', iso(row.expired_at)),
    ...present('expiryReason', row.expiry_reason),
  };
}

export function toEmailView(row: EmailViewRow): EmailView {
  return {
    id: row.email_id,
    tenant: row.tenant_id,
    status: row.status,
    from:
      row.from_name === null
        ? { address: row.from_address }
        : { address: row.from_address, name: row.from_name },
    to: row.recipients.to,
    cc: row.recipients.cc,
    bcc: row.recipients.bcc,
    subject: row.subject,
    tags: row.tags,
    sendAt: row.send_at.toISOString(),
    requestedSendAt: row.requested_send_at.toISOString(),
    dueAt: iso(row.due_at),
    maxAttempts: row.max_attempts,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: iso(row.sent_at),
    messageId: row.message_id,
    cancelledAt: iso(row.cancelled_at),
    failedAt: iso(row.failed_at),
    ...timingAndGroups(row),
    ...messageParts(row),
    revision: Number(row.revision),
    position: row.position,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
