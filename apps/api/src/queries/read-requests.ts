import { parseInstant } from '@app/domain';
import { validationFailed } from '../common/validation';
import {
  DEFAULT_PAGE_SIZE,
  type ListEmailsQueryDto,
  type StatsQueryDto,
} from './admin/admin-query.dto';
import { decodeCursor } from './admin/email-cursor';
import { ListEmailsQuery } from './admin/list-emails.query';
import { GetStatsQuery } from './admin/stats.query';

const DAY_MS = 24 * 3_600_000;
/** The widest stats window: the hourly rows of a year at most. */
const MAX_WINDOW_MS = 366 * DAY_MS;
const INSTANT_REASON = 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)';

type FieldIssues = { field: string; reason: string }[];

/**
 * The list query of `GET /v1/admin/emails` (any tenant, or the one asked for) and of
 * `GET /v1/emails` (the caller's tenant): instants and the cursor checked, 400 naming each bad one.
 */
export function toListEmailsQuery(
  query: Omit<ListEmailsQueryDto, 'tenant'>,
  tenant: string | undefined,
): ListEmailsQuery {
  const issues: FieldIssues = [];
  const instant = (field: 'sendAfter' | 'sendBefore'): string | undefined => {
    const text = query[field];
    if (text === undefined) return undefined;
    const ms = parseInstant(text);
    if (ms === undefined) issues.push({ field, reason: INSTANT_REASON });
    return ms === undefined ? undefined : new Date(ms).toISOString();
  };
  const sendAfter = instant('sendAfter');
  const sendBefore = instant('sendBefore');
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
      sendAfter,
      sendBefore,
    },
    after,
    query.limit ?? DEFAULT_PAGE_SIZE,
  );
}

/** The stats query over `[since, until)` (default the last 24 h), for one tenant or all. */
export function toStatsQuery(
  query: Omit<StatsQueryDto, 'tenant'>,
  tenant: string | undefined,
): GetStatsQuery {
  const issues: FieldIssues = [];
  const instant = (field: 'since' | 'until'): number | undefined => {
    const text = query[field];
    if (text === undefined) return undefined;
    const ms = parseInstant(text);
    if (ms === undefined) issues.push({ field, reason: INSTANT_REASON });
    return ms;
  };
  const until = instant('until') ?? Date.now();
  const since = instant('since') ?? until - DAY_MS;
  if (issues.length === 0 && since >= until) {
    issues.push({ field: 'since', reason: 'must be before until' });
  }
  if (issues.length === 0 && until - since > MAX_WINDOW_MS) {
    issues.push({ field: 'since', reason: 'must be at most 366 days before until' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return new GetStatsQuery(tenant, new Date(since), new Date(until));
}
