import { type FieldIssue, optionalInstant, validationFailed } from '../../common/validation';
import { DEFAULT_PAGE_SIZE, type ListEmailsQueryDto } from '../dto/list-emails-query.dto';
import { decodeCursor } from '@app/read-model';
import { ListEmailsQuery } from './list-emails.query';

/**
 * The list query of `GET /v1/admin/emails` (any tenant, or the one asked for) and of
 * `GET /v1/emails` (the caller's tenant): instants and the cursor checked, 400 naming each bad one.
 */
export function toListEmailsQuery(
  query: Omit<ListEmailsQueryDto, 'tenant'>,
  tenant: string | undefined,
): ListEmailsQuery {
  const issues: FieldIssue[] = [];
  const iso = (ms: number | undefined): string | undefined =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const sendAfter = iso(optionalInstant(query.sendAfter, 'sendAfter', issues));
  const sendBefore = iso(optionalInstant(query.sendBefore, 'sendBefore', issues));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && after === undefined) {
    issues.push({ field: 'cursor', reason: 'is not a cursor this api returned' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return new ListEmailsQuery(
    {
      tenant,
      status: query.status,
      from: query.from,
      to: query.to,
      tag: query.tag,
      batchId: query.batchId,
      scheduleId: query.scheduleId,
      sendAfter,
      sendBefore,
    },
    after,
    query.limit ?? DEFAULT_PAGE_SIZE,
  );
}
