import { ApiProperty } from '@nestjs/swagger';
import type { CaughtMail, CaughtMailPage, CaughtMailSummary } from '@app/caught-mail';

// The mail catcher store's answers as OpenAPI sees them; `implements` keeps them in step with it.

export class CaughtMailSummaryView implements CaughtMailSummary {
  readonly id!: string;
  readonly receivedAt!: string;
  /** The envelope's MAIL FROM ('' for a null sender). */
  readonly from!: string;
  /** The envelope's RCPT TO: every recipient, Bcc included. */
  @ApiProperty({ type: [String] })
  readonly to!: readonly string[];
  readonly messageId!: string | null;
  readonly subject!: string | null;
  /** Bytes of the whole message as received. */
  readonly size!: number;
}

export class CaughtMailHeaders {
  readonly from!: string | null;
  readonly to!: string | null;
}

/** `GET /v1/admin/outbox/:id`. */
export class CaughtMailView extends CaughtMailSummaryView implements CaughtMail {
  /** The From and To header fields, decoded. */
  readonly headers!: CaughtMailHeaders;
  /** The message as received, cut after its first MiB (then `rawTruncated`). */
  readonly raw!: string;
  readonly rawTruncated!: boolean;
}

/** `GET /v1/admin/outbox`: newest first. */
export class CaughtMailPageView implements CaughtMailPage {
  @ApiProperty({ type: [CaughtMailSummaryView] })
  readonly items!: readonly CaughtMailSummaryView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  readonly nextCursor!: string | null;
}
