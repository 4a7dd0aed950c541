import type { ReactNode } from 'react';
import { get } from '../api';
import { emailStatusValues } from '../api-schema';
import { ColumnChart, HorizontalBars } from '../components/bar-chart';
import { ErrorNotice, PageLoading } from '../components/states';
import { formatDuration, formatInstant } from '../format';
import { usePolling } from '../polling';
import { useSignedIn } from '../session';
import type { Stats } from '../types';

const HOUR_MS = 3_600_000;

/** Sends per hour over the window, all senders together, empty hours included. */
function hourly(stats: Stats): { label: string; value: number }[] {
  const counts = new Map<number, number>();
  for (const row of stats.sendsPerSenderPerHour) {
    const hour = Date.parse(row.hour);
    counts.set(hour, (counts.get(hour) ?? 0) + row.count);
  }
  const first = Math.floor(Date.parse(stats.window.since) / HOUR_MS) * HOUR_MS;
  const columns: { label: string; value: number }[] = [];
  for (let hour = first; hour < Date.parse(stats.window.until); hour += HOUR_MS) {
    const label = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(hour);
    columns.push({ label, value: counts.get(hour) ?? 0 });
  }
  return columns;
}

export function StatsPage(): ReactNode {
  const session = useSignedIn();
  const path = session.role === 'admin' ? '/v1/admin/stats' : '/v1/stats';
  const stats = usePolling(path, (signal) => get<Stats>(path, signal), 5000);
  if (stats.data === undefined) {
    return <PageLoading error={stats.error} retry={stats.reload} label="Loading stats…" />;
  }
  const data = stats.data;
  const columns = hourly(data);
  const sent = columns.reduce((sum, column) => sum + column.value, 0);
  const { lateness, projection } = data;
  return (
    <section className="page">
      <h1>Stats</h1>
      <p className="muted">
        {data.tenant === null ? 'All tenants' : `Tenant ${data.tenant}`} · last 24 hours, until{' '}
        {formatInstant(data.window.until)} · updates every 5 s
      </p>
      {stats.error !== undefined && <ErrorNotice error={stats.error} retry={stats.reload} />}
      <div className="stats-grid">
        <div className="card">
          <h2>Emails by status</h2>
          <HorizontalBars
            label="Emails by status"
            bars={emailStatusValues.map((status) => ({
              label: status,
              value: data.countsByStatus[status] ?? 0,
              className: `fill-${status}`,
            }))}
          />
        </div>
        <div className="card">
          <h2>Lateness of sends</h2>
          {lateness.count === 0 ? (
            <p className="muted">Nothing sent in the window yet.</p>
          ) : (
            <HorizontalBars
              label="Lateness percentiles"
              bars={[
                {
                  label: 'p50',
                  value: lateness.p50Ms ?? 0,
                  display: formatDuration(lateness.p50Ms),
                },
                {
                  label: 'p95',
                  value: lateness.p95Ms ?? 0,
                  display: formatDuration(lateness.p95Ms),
                },
                {
                  label: 'p99',
                  value: lateness.p99Ms ?? 0,
                  display: formatDuration(lateness.p99Ms),
                },
              ]}
            />
          )}
          <p className="muted small">
            sent − due, over {lateness.count.toLocaleString()} email
            {lateness.count === 1 ? '' : 's'}
          </p>
        </div>
        <div className="card wide">
          <h2>
            Sends per hour <span className="muted">({sent.toLocaleString()} in 24 h)</span>
          </h2>
          <ColumnChart label="Sends per hour" columns={columns} />
        </div>
        <div className="card">
          <h2>Projection</h2>
          <dl className="facts">
            <div>
              <dt>state</dt>
              <dd>
                <span
                  className={
                    projection.state === 'live' ? 'badge badge-sent' : 'badge badge-attempting'
                  }
                >
                  {projection.state}
                </span>
              </dd>
            </div>
            {/* The lag in events and the store positions are shown to admins only. */}
            {projection.lagEvents !== undefined && (
              <div>
                <dt>behind by</dt>
                <dd>
                  {projection.lagEvents.toLocaleString()}
                  {projection.lagEventsCapped ? '+' : ''} event
                  {projection.lagEvents === 1 ? '' : 's'}
                </dd>
              </div>
            )}
            <div>
              <dt>lag</dt>
              <dd>{formatDuration(projection.lagSeconds * 1000)}</dd>
            </div>
            {projection.position !== undefined && (
              <div>
                <dt>position</dt>
                <dd className="mono">{projection.position ?? '—'}</dd>
              </div>
            )}
            {projection.head !== undefined && (
              <div>
                <dt>head</dt>
                <dd className="mono">{projection.head ?? '—'}</dd>
              </div>
            )}
          </dl>
        </div>
      </div>
    </section>
  );
}
