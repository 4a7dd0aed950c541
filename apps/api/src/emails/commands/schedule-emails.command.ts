import type { ScheduleEmailItem } from './schedule-email.command';

/** Many emails at once (a batch): each item is scheduled or refused on its own. */
export class ScheduleEmailsCommand {
  constructor(
    readonly tenantId: string,
    readonly items: readonly ScheduleEmailItem[],
  ) {}
}
