import { CancelEmailHandler } from './cancel-email.handler';
import { EmailScheduling } from './email-scheduling';
import { EditEmailHandler } from './edit-email.handler';
import { ScheduleEmailHandler } from './schedule-email.handler';
import { ScheduleEmailsHandler } from './schedule-emails.handler';

/** The command side's providers; besides these, the handlers need EmailStreams and the Clock. */
export const EMAIL_COMMAND_HANDLERS = [
  EmailScheduling,
  ScheduleEmailHandler,
  ScheduleEmailsHandler,
  EditEmailHandler,
  CancelEmailHandler,
];
