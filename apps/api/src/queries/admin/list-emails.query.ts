import type { EmailCursor } from './email-cursor';
import type { EmailFilter } from './list-emails.sql';

export class ListEmailsQuery {
  constructor(
    readonly filter: EmailFilter,
    readonly after: EmailCursor | undefined,
    readonly limit: number,
  ) {}
}
