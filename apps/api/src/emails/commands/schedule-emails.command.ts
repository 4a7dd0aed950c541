import type { Requester, ScheduleEmailItem } from './schedule-email.command';

/** Many emails at once (a batch): each item is scheduled or refused on its own. */
export class ScheduleEmailsCommand {
  constructor(
    readonly requester: Requester,
    readonly items: readonly ScheduleEmailItem[],
  ) {}
}
