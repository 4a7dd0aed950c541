// What the benches that send at a steady rate share: the pacing, one email scheduled through the api,
// and lateness at the sink (first arrival − sendAt) summarised the same way.

import { percentile } from '@app/testing';
import type { SinkProcess } from './sink-process';
import { BENCH_ADMIN_KEY } from './stack';

export interface Lateness {
  readonly emails: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Calls `send` `rate` times a second for `seconds` s, paced by the clock (not by the calls). */
export async function paced(
  rate: number,
  seconds: number,
  send: (n: number) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  const calls: Promise<void>[] = [];
  for (let n = 0; n < rate * seconds; n += 1) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, started + (n / rate) * 1_000 - Date.now())),
    );
    calls.push(send(n));
  }
  await Promise.all(calls);
}

/**
 * `POST /v1/emails` of one email due `dueInMs` from now, as the bench's admin. Its Message-ID (what
 * the sink records) and due instant; undefined when the api refused it.
 */
export async function scheduleDue(
  apiUrl: string,
  tag: string,
  n: number,
  dueInMs: number,
): Promise<{ messageId: string; dueAt: number } | undefined> {
  const sendAt = new Date(Date.now() + dueInMs).toISOString();
  const response = await fetch(`${apiUrl}/v1/emails`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
    body: JSON.stringify({
      from: 'bench@example.com',
      to: [`${tag}${n}@example.net`],
      subject: `${tag} ${n}`,
      text: `Hello from the ${tag} benchmark`,
      sendAt,
    }),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) return undefined;
  return { messageId: `<${body.id}@example.com>`, dueAt: Date.parse(sendAt) };
}

/** Waits until every Message-ID has arrived; lateness is its first arrival − its sendAt. */
export async function measureLateness(
  sink: SinkProcess,
  due: ReadonlyMap<string, number>,
): Promise<Lateness> {
  const arrivals = await sink.arrivalsOf([...due.keys()], 180_000);
  const lateness = [...due.values()].map((at, i) => (arrivals[i] ?? NaN) - at);
  return summarise(lateness);
}

export function summarise(values: readonly number[]): Lateness {
  return {
    emails: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

/** A results-table row: the lateness figures and p99 as a multiple of the baseline's. */
export function latenessRow(
  name: string,
  lateness: Lateness,
  baseline: Lateness,
  digits: number,
): (string | number)[] {
  const ratio = lateness.p99 / Math.max(1, baseline.p99);
  return [
    name,
    lateness.emails,
    lateness.p50,
    lateness.p99,
    lateness.max,
    `${ratio.toFixed(digits)}×`,
  ];
}
