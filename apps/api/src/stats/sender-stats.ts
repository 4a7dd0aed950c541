import type { Stats } from './stats.view';

/**
 * `GET /v1/stats` for a sender key: its tenant's numbers, and of the projection only whether it is live
 * and how many seconds behind. The positions, the head and the lag in events count every tenant's writes,
 * so a sender watching them would see the others' volume.
 */
export function toSenderStats(stats: Stats): Stats {
  const { state, lagSeconds } = stats.projection;
  return { ...stats, projection: { state, lagSeconds } };
}
