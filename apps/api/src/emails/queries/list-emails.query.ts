import type { EmailCursor, EmailFilter } from '@app/read-model';

export class ListEmailsQuery {
  constructor(
    readonly filter: EmailFilter,
    readonly after: EmailCursor | undefined,
    readonly limit: number,
  ) {}
}
