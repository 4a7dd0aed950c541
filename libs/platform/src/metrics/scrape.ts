import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../health/probes';

/** How long a scrape waits on Postgres or Redis for a sample before answering without it. */
export const SCRAPE_TIMEOUT_MS = 2_000;

/**
 * Sets `gauge` from `read()` at a scrape. When the store does not answer in time there is no sample:
 * the scrape still answers, and the alerts on that store say why.
 */
export async function sampleGauge(
  gauge: Gauge,
  what: string,
  read: () => Promise<number>,
): Promise<void> {
  gauge.reset();
  try {
    gauge.set(await withTimeout(read(), SCRAPE_TIMEOUT_MS, what));
  } catch {
    // no sample
  }
}

/** A gauge that is 1 while `holds()` is true and 0 otherwise, read at each scrape. */
export function flagGauge(
  registry: Registry,
  name: string,
  help: string,
  holds: () => boolean,
): Gauge {
  const gauge: Gauge = new Gauge({
    name,
    help,
    registers: [registry],
    collect: () => gauge.set(holds() ? 1 : 0),
  });
  return gauge;
}
