import { type FieldIssue, optionalInstant, validationFailed } from '../../common/validation';
import { DEFAULT_PAGE_SIZE, type ListEmailsQueryDto } from '../dto/list-emails-query.dto';
import { parseMetadata } from '@app/domain';
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
  const metadata = metadataFilter(query.metadata, issues);
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
      metadata,
      sendAfter,
      sendBefore,
    },
    after,
    query.limit ?? DEFAULT_PAGE_SIZE,
  );
}

/** `key:value` pairs (the value may hold colons) as the object the metadata must contain. */
function metadataFilter(
  pairs: readonly string[] | undefined,
  issues: FieldIssue[],
): Record<string, string> | undefined {
  if (pairs === undefined) return undefined;
  // A map, not an object: `constructor` or `__proto__` are keys like any other here.
  const wanted = new Map<string, string>();
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      issues.push({ field: 'metadata', reason: `${JSON.stringify(pair)} must be key:value` });
      continue;
    }
    const key = pair.slice(0, colon);
    const value = pair.slice(colon + 1);
    if (wanted.has(key) && wanted.get(key) !== value) {
      issues.push({ field: 'metadata', reason: `key ${JSON.stringify(key)} is given two values` });
      continue;
    }
    wanted.set(key, value);
  }
  // Held to the rules metadata is written under: a pair no email can have is a mistake, not an empty page.
  const parsed = parseMetadata(Object.fromEntries(wanted));
  issues.push(...parsed.issues.map((issue) => ({ field: 'metadata', reason: issue.reason })));
  return parsed.metadata;
}
