// The relay is down for a minute (RELAY_DOWN_MS, default 60 000) while emails fall due: the circuit breaker
// pauses sending and probes, no email fails and none loses an attempt (maxAttempts 1), and all of them go
// out once the relay is back. History shows each relay-unavailable failure as costing no attempt.

import { waitFor } from '@app/testing';
import { messageIdOf, WorkerHarness } from './testing/worker-harness';

const REDIS_URL = process.env.RELAY_OUTAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
const RELAY_DOWN_MS = Number(process.env.RELAY_DOWN_MS ?? 60_000);
const EMAILS = 30;
/** The breaker's probe interval is capped at 60 s: the relay is seen back at most that long after. */
const MAX_PROBE_GAP_MS = 60_000;

describe('relay outage', () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL, { WORKER_CONCURRENCY: '10' });
    await harness.startWorker();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    `sends every email due during a ${RELAY_DOWN_MS} ms outage once it is back, failing none`,
    async () => {
      await harness.sink.down();
      const downAt = Date.now();
      const upAt = downAt + RELAY_DOWN_MS;
      // Due from 0.5 s into the outage until 2 s before its end, spread evenly.
      const span = Math.max(0, RELAY_DOWN_MS - 2_500);
      const emails = await Promise.all(
        Array.from({ length: EMAILS }, async (_, i) => {
          const sendAt = downAt + 500 + Math.round((span * i) / (EMAILS - 1));
          return { id: await harness.schedule(`outage${i}@example.com`, sendAt, 1), sendAt };
        }),
      );
      await waitFor('the outage to last', () => Date.now() >= upAt, RELAY_DOWN_MS + 5_000, 100);
      // Nothing got through, nothing failed for good meanwhile.
      for (const { id } of emails) {
        expect(['scheduled', 'attempting']).toContain((await harness.state(id)).status);
      }
      await harness.sink.up();
      const backAt = Date.now();

      await waitFor(
        'every email sent',
        async () =>
          (await Promise.all(emails.map(async ({ id }) => (await harness.state(id)).status))).every(
            (status) => status === 'sent',
          ),
        MAX_PROBE_GAP_MS + 15_000,
        100,
      );
      const lastArrival = Math.max(
        ...emails.map(({ id }) => harness.sink.received(messageIdOf(id))[0]?.receivedAt ?? NaN),
      );

      let failures = 0;
      for (const { id } of emails) {
        expect(harness.sink.received(messageIdOf(id))).toHaveLength(1);
        const history = await harness.history(id);
        for (const event of history.filter((e) => e.type === 'EmailFailed')) {
          failures += 1;
          expect(event).toMatchObject({
            data: { final: false, countsAsAttempt: false, failure: { kind: 'relay-unavailable' } },
          });
        }
        // maxAttempts is 1: had the outage cost an attempt, the email would have failed.
        expect(history[history.length - 1]).toMatchObject({
          type: 'EmailSent',
          data: { attempt: 1 },
        });
      }
      console.log(
        `relay down ${RELAY_DOWN_MS} ms, ${EMAILS} emails due meanwhile: 0 failed, ${failures} relay-unavailable failure(s) recorded (no attempt consumed), all sent ${lastArrival - backAt} ms after the relay came back`,
      );
    },
    RELAY_DOWN_MS + MAX_PROBE_GAP_MS + 30_000,
  );
});
