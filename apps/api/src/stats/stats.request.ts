import { type FieldIssue, optionalInstant, validationFailed } from '../common/validation';
import type { StatsQueryDto } from './stats-query.dto';
import { GetStatsQuery } from './stats.query';

const DAY_MS = 24 * 3_600_000;
/** The widest stats window: the hourly rows of a year at most. */
const MAX_WINDOW_MS = 366 * DAY_MS;

/** The stats query over `[since, until)` (default the last 24 h), for one tenant or all. */
export function toStatsQuery(
  query: Omit<StatsQueryDto, 'tenant'>,
  tenant: string | undefined,
): GetStatsQuery {
  const issues: FieldIssue[] = [];
  const until = optionalInstant(query.until, 'until', issues) ?? Date.now();
  const since = optionalInstant(query.since, 'since', issues) ?? until - DAY_MS;
  if (issues.length === 0 && since >= until) {
    issues.push({ field: 'since', reason: 'must be before until' });
  }
  if (issues.length === 0 && until - since > MAX_WINDOW_MS) {
    issues.push({ field: 'since', reason: 'must be at most 366 days before until' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return new GetStatsQuery(tenant, new Date(since), new Date(until));
}
