import type { ContentChanges } from '@app/domain';
import { type FieldIssue, validationFailed } from '../../common/validation';
import type { EditEmailDto } from '../dto/edit-email.dto';
import type { EmailEdit } from './edit-email.command';

/** The request's fields that are the email's content, passed to the domain as they came (null included). */
const CONTENT_FIELDS = [
  'to',
  'cc',
  'bcc',
  'replyTo',
  'subject',
  'text',
  'html',
  'headers',
  'metadata',
] as const satisfies readonly (keyof EditEmailDto & keyof ContentChanges)[];

/**
 * A PATCH body as the edit it asks: a reschedule, content changes, or both. The one place a request field
 * becomes a ContentChanges field: a part that needs work before the domain sees it (attachments' base64
 * stored and referenced, a template's variables rendered) is turned into its ContentChanges value here.
 */
export function toEmailEdit(body: EditEmailDto): EmailEdit {
  const issues: FieldIssue[] = [];
  if ((body.sendAt as unknown) === null)
    issues.push({ field: 'sendAt', reason: 'cannot be removed; cancel the email instead' });
  if (body.timeZone !== undefined && body.sendAt == null)
    issues.push({ field: 'timeZone', reason: 'is only read together with sendAt' });
  const changes: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    if (body[field] !== undefined) changes[field] = body[field];
  }
  const reschedule =
    body.sendAt == null
      ? undefined
      : {
          sendAt: body.sendAt,
          ...(body.timeZone == null ? {} : { timeZone: body.timeZone }),
        };
  if (issues.length === 0 && reschedule === undefined && Object.keys(changes).length === 0)
    issues.push({
      field: 'body',
      reason: `must name something to change: sendAt or ${CONTENT_FIELDS.join(', ')}`,
    });
  if (issues.length > 0) throw validationFailed(issues);
  return {
    ...(reschedule === undefined ? {} : { reschedule }),
    ...(Object.keys(changes).length === 0 ? {} : { changes }),
  };
}
