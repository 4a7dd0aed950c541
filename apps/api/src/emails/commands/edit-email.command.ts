import type { ContentChanges } from '@app/domain';

/** What a PATCH asks: a new time, new content, or both (decided and appended together). */
export interface EmailEdit {
  readonly reschedule?: {
    readonly sendAt: string;
    /** The zone an offset-less sendAt is wall-clock time in (absent: the email's own). */
    readonly timeZone?: string;
  };
  readonly changes?: ContentChanges;
  /** The new attachments' bytes by SHA-256, stored once the edit is decided and before it is appended. */
  readonly files?: ReadonlyMap<string, Buffer>;
  /** New variables for the email's pinned template: subject, text and html are rendered again from them. */
  readonly templateVariables?: Readonly<Record<string, unknown>>;
}

export class EditEmailCommand {
  constructor(
    readonly emailId: string,
    readonly tenantId: string,
    readonly edit: EmailEdit,
    /** From If-Match: the revision the caller saw; a mismatch is a 412. */
    readonly expectedRevision?: number,
  ) {}
}
