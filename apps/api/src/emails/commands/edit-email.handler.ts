import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AttachmentStore } from '@app/attachments';
import {
  decide,
  replay,
  ValidationError,
  type ContentChanges,
  type EmailEvent,
  type EmailState,
} from '@app/domain';
import { Clock } from '../clock';
import {
  EmailStreams,
  currentResult,
  retryOnConcurrency,
  type EmailWriteResult,
} from '@app/email-streams';
import { TemplateRendering } from '../../templates/template-rendering';
import { checkIfMatch } from './if-match';
import { EditEmailCommand, type EmailEdit } from './edit-email.command';

@CommandHandler(EditEmailCommand)
export class EditEmailHandler implements ICommandHandler<EditEmailCommand> {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
    private readonly templates: TemplateRendering,
    private readonly attachments: AttachmentStore,
  ) {}

  execute(command: EditEmailCommand): Promise<EmailWriteResult> {
    const { reschedule, files } = command.edit;
    return retryOnConcurrency(async () => {
      const loaded = await this.streams.loadOwned(command.emailId, command.tenantId);
      checkIfMatch(loaded, command.expectedRevision);
      const changes = await this.withRendering(command.tenantId, command.edit, loaded.state);
      const now = this.clock.now();
      const events: EmailEvent[] = [];
      if (reschedule) {
        events.push(
          ...decide(
            {
              type: 'RescheduleEmail',
              data: {
                sendAt: reschedule.sendAt,
                ...(reschedule.timeZone === undefined ? {} : { timeZone: reschedule.timeZone }),
                now,
              },
            },
            loaded.state,
          ),
        );
      }
      // Decided on the state the reschedule leaves, so the edit's due time is the new one; both go in one
      // append at the revision read (and If-Match named): either both happen or neither.
      if (changes) {
        events.push(
          ...decide(
            { type: 'EditEmailContent', data: { changes, now } },
            replay(events, loaded.state),
          ),
        );
      }
      // An edit to what the email already is changes nothing, and is answered with the email as it stands.
      if (events.length === 0) return currentResult(loaded);
      // The bytes before the event that references them: a crash between leaves bytes the janitor removes.
      if (files) await this.attachments.put(command.tenantId, command.emailId, files);
      return this.streams.append(loaded, events, { tenantId: command.tenantId });
    });
  }

  /**
   * The changes with subject, text and html rendered again from the email's pinned template version, when the
   * edit gives new variables. Rendered per try: the version pinned is the one of the state decided on.
   */
  private async withRendering(
    tenantId: string,
    edit: EmailEdit,
    state: EmailState,
  ): Promise<ContentChanges | undefined> {
    if (edit.templateVariables === undefined) return edit.changes;
    const pinned = state.status === 'initial' ? undefined : state.email.template;
    if (pinned === undefined) {
      throw new ValidationError([
        {
          field: 'template',
          reason:
            'the email was not rendered from a template: change subject, text or html instead',
        },
      ]);
    }
    const rendered = await this.templates.render(tenantId, {
      id: pinned.id,
      version: pinned.version,
      variables: edit.templateVariables,
    });
    return {
      ...edit.changes,
      subject: rendered.subject,
      text: rendered.text ?? null,
      html: rendered.html ?? null,
      template: rendered.template,
    };
  }
}
