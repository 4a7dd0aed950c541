import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, PG_POOL } from '@app/platform';
import { READ_MODEL_VIEWS, readProjectionStatus } from '@app/read-model';
import type { Pool } from 'pg';
import { EMAIL_STATUSES } from '../emails/dto/list-emails-query.dto';
import { EmailQuotas } from '../quotas/email-quotas';
import { GetStatsQuery } from './stats.query';
import type { Stats } from './stats.view';

@QueryHandler(GetStatsQuery)
export class GetStatsHandler implements IQueryHandler<GetStatsQuery, Stats> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly quotas: EmailQuotas,
  ) {}

  async execute(query: GetStatsQuery): Promise<Stats> {
    const tenant = query.tenant ?? null;
    const since = query.since.toISOString();
    const until = query.until.toISOString();
    const [counts, sends, lateness, projection, limits] = await Promise.all([
      this.pool.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM ${READ_MODEL_VIEWS.emails}
          WHERE $1::text IS NULL OR tenant_id = $1 GROUP BY status`,
        [tenant],
      ),
      this.pool.query<{ tenant_id: string; sender: string; hour: Date; n: string }>(
        `SELECT tenant_id, sender, hour, sum(count) AS n FROM ${READ_MODEL_VIEWS.senderHourlySends}
          WHERE ($1::text IS NULL OR tenant_id = $1)
            AND hour >= date_trunc('hour', $2::timestamptz) AND hour < $3::timestamptz
          GROUP BY tenant_id, sender, hour ORDER BY hour, tenant_id, sender`,
        [tenant, since, until],
      ),
      this.pool.query<{ n: string; p50: number | null; p95: number | null; p99: number | null }>(
        `SELECT count(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness_ms) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY lateness_ms) AS p95,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY lateness_ms) AS p99
           FROM ${READ_MODEL_VIEWS.emails}
          WHERE status = 'sent' AND ($1::text IS NULL OR tenant_id = $1)
            AND sent_at >= $2::timestamptz AND sent_at < $3::timestamptz`,
        [tenant, since, until],
      ),
      readProjectionStatus(this.pool, this.store),
      tenant === null ? null : this.quotas.usage(tenant),
    ]);
    const countsByStatus: Record<string, number> = {};
    for (const status of EMAIL_STATUSES) countsByStatus[status] = 0;
    for (const row of counts.rows) countsByStatus[row.status] = Number(row.n);
    const late = lateness.rows[0];
    const ms = (value: number | null | undefined): number | null =>
      value === null || value === undefined ? null : Math.round(value);
    return {
      tenant,
      window: { since, until },
      countsByStatus,
      sendsPerSenderPerHour: sends.rows.map((row) => ({
        tenant: row.tenant_id,
        sender: row.sender,
        hour: row.hour.toISOString(),
        count: Number(row.n),
      })),
      lateness: {
        count: Number(late?.n ?? 0),
        p50Ms: ms(late?.p50),
        p95Ms: ms(late?.p95),
        p99Ms: ms(late?.p99),
      },
      projection: {
        state: projection.state,
        position: projection.position,
        head: projection.head,
        lagEvents: projection.lagEvents,
        lagEventsCapped: projection.lagEventsCapped,
        lagSeconds: projection.lagSeconds,
      },
      limits,
    };
  }
}
