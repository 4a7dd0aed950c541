// The tunable limits of schedules, passed to decideSchedule() as DomainRules is to decide().

export interface ScheduleRules {
  /**
   * The shortest gap allowed between two occurrences: a schedule is a recurring send, not a way around the
   * per-tenant rate limits. Checked on the first MIN_INTERVAL_SAMPLE occurrences. Tests lower it.
   */
  readonly minIntervalMs: number;
  /** Occurrences one OccurrencesSkipped may count before the rest wait for the next one (bounds the work). */
  readonly maxSkipCount: number;
}

export const DEFAULT_SCHEDULE_RULES: ScheduleRules = Object.freeze({
  minIntervalMs: 60_000,
  maxSkipCount: 100_000,
});

/** How many occurrences after startAt the minimum interval is checked on. */
export const MIN_INTERVAL_SAMPLE = 100;
