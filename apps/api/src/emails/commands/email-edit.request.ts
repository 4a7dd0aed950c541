import type { ContentChanges } from '@app/domain';
import { type FieldIssue, validationFailed } from '../../common/validation';
import type { EditEmailDto } from '../dto/edit-email.dto';
import { decodeAttachments } from '../attachments/attachment-intake';
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
 * becomes a ContentChanges field: attachments' base64 is decoded into references here (the bytes ride along
 * to be stored); template variables are rendered by the handler, which knows the email's pinned version.
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
  let files: ReadonlyMap<string, Buffer> | undefined;
  if (body.attachments !== undefined) {
    const decoded = body.attachments === null ? undefined : decodeAttachments(body.attachments);
    changes['attachments'] = decoded === undefined ? null : decoded.refs;
    files = decoded?.files;
  }
  const template: unknown = body.template;
  const variables =
    typeof template === 'object' && template !== null
      ? (template as { variables?: unknown }).variables
      : undefined;
  const templateVariables =
    typeof variables === 'object' && variables !== null && !Array.isArray(variables)
      ? (variables as Record<string, unknown>)
      : undefined;
  if (template !== undefined && templateVariables === undefined)
    issues.push({
      field: 'template.variables',
      reason:
        'must be an object: the email keeps its template, rendered again with these variables (to drop it, give subject, text or html)',
    });
  // A template renders subject and bodies itself: given literally as well, which would win is anyone's guess.
  if (
    body.template !== undefined &&
    (body.subject !== undefined || body.text !== undefined || body.html !== undefined)
  )
    issues.push({
      field: 'template',
      reason: 'give either template variables or subject, text and html, not both',
    });
  const reschedule =
    body.sendAt == null
      ? undefined
      : {
          sendAt: body.sendAt,
          ...(body.timeZone == null ? {} : { timeZone: body.timeZone }),
        };
  if (
    issues.length === 0 &&
    reschedule === undefined &&
    body.template === undefined &&
    Object.keys(changes).length === 0
  )
    issues.push({
      field: 'body',
      reason: `must name something to change: sendAt, ${CONTENT_FIELDS.join(', ')}, attachments or template`,
    });
  if (issues.length > 0) throw validationFailed(issues);
  return {
    ...(reschedule === undefined ? {} : { reschedule }),
    ...(Object.keys(changes).length === 0 ? {} : { changes }),
    ...(files === undefined || files.size === 0 ? {} : { files }),
    ...(templateVariables === undefined ? {} : { templateVariables }),
  };
}
