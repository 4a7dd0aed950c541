import type { ProjectionStatus } from '@app/read-model';

/** Nothing unapplied older than this: the projection counts as caught up in the log. */
export const LAG_BEHIND_SECONDS = 10;

/**
 * The lag as the log sees it, coarse on purpose: the projector reads the lag every 10 s, and a line
 * that often saying the same thing buries the lines that matter. A new line is due only when this
 * changes, that is when the projection falls behind (something unapplied is LAG_BEHIND_SECONDS
 * old) or catches up again; while behind, when the events behind double or halve (a backlog
 * growing or draining, without a line per reading); and when a rebuild starts, passes each tenth
 * of its progress, or ends. The exact figures are on /metrics (projection_lag_*).
 */
export function lagSummary(status: ProjectionStatus): string {
  const lag =
    status.lagSeconds < LAG_BEHIND_SECONDS
      ? 'caught up'
      : `behind ~2^${Math.floor(Math.log2(Math.max(1, status.lagEvents)))}`;
  const rebuild = status.rebuild
    ? ` rebuild ${status.rebuild.generation} ${Math.floor(status.rebuild.progress * 10)}/10`
    : '';
  return lag + rebuild;
}

/** The line itself: where the projection stands, with the figures of this reading. */
export function lagLine(status: ProjectionStatus): string {
  const state = status.lagSeconds < LAG_BEHIND_SECONDS ? 'caught up' : 'behind';
  const rebuild = status.rebuild
    ? `, rebuilding generation ${status.rebuild.generation} (${Math.round(status.rebuild.progress * 100)} %)`
    : '';
  return (
    `projection ${state}: lag ${status.lagEvents}${status.lagEventsCapped ? '+' : ''} events, ` +
    `${status.lagSeconds.toFixed(1)} s, position ${status.position ?? 'start'}${rebuild}`
  );
}
