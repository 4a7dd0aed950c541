const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A duration as the webhook settings write it: `250ms`, `5s`, `10m`, `1h`, `5d` → milliseconds; undefined
 * for anything else (no sign, no fraction, no space between number and unit).
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2];
  if (amount === undefined || unit === undefined) return undefined;
  const ms = Number(amount) * (UNIT_MS[unit] ?? NaN);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Comma-separated durations, at least one, each > 0 (`5s,1m,10m`); undefined when any is malformed. */
export function parseDurationList(text: string): number[] | undefined {
  const durations: number[] = [];
  for (const part of text.split(',')) {
    const ms = parseDuration(part);
    if (ms === undefined || ms <= 0) return undefined;
    durations.push(ms);
  }
  return durations;
}
