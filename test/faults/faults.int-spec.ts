// The fault suite (issue 6): the real api, projector and workers against the real Postgres and Redis and an
// SMTP sink on loopback; each scenario injects a fault and ends with the same invariant (fault-harness.ts).
// FAULTS_N sets the emails per scenario: small in CI, 1,000 for the full run (`FAULTS_N=1000 npm run test:faults`).
import { waitFor } from '@app/testing';
import { FAULTS_N, FaultHarness } from './fault-harness';

const N = FAULTS_N;
/** Long enough for N emails to be scheduled through HTTP before the first is due. */
const LEAD_MS = 4_000 + N * 12;
const SCENARIO_TIMEOUT_MS = 120_000 + N * 200;
const MB = 1024 * 1024;

function email(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 'faults@example.com',
    to: ['alice@example.net'],
    subject: 'Hello',
    text: 'Hi there',
    sendAt: new Date(Date.now() + 1_500).toISOString(),
    ...overrides,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe(`fault suite (N = ${N})`, () => {
  let h: FaultHarness;
  const reports: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await FaultHarness.create();
    await h.start('api');
    await h.start('projector');
    await h.start('worker');
  }, 300_000);

  afterAll(async () => {
    if (Object.keys(reports).length > 0) {
      process.stdout.write(`fault suite figures: ${JSON.stringify(reports, null, 1)}\n`);
    }
    await h?.close();
  }, 60_000);

  it(
    '(8) 100 parallel identical requests with one Idempotency-Key make one stream; another body is 422',
    async () => {
      const before = await h.eventCount();
      const body = email({
        subject: 'idempotent',
        sendAt: new Date(Date.now() + 3_000).toISOString(),
      });
      const headers = { 'idempotency-key': `fault-idem-${Date.now()}` };
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => h.schedule(body, headers)),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(statuses.every((status) => status === 200 || status === 201)).toBe(true);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
      // One stream with one EmailScheduled: the other 99 appended nothing.
      expect((await h.eventCount()) - before).toBe(1);

      const other = await h.call('POST', '/v1/emails', {
        body: { ...body, subject: 'another body' },
        headers,
      });
      expect(other.status).toBe(422);
      expect((await h.eventCount()) - before).toBe(1);

      reports['8'] = await h.checkInvariant();
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '(11) header injection in every header field is rejected, and the sink never sees an extra header or recipient',
    async () => {
      const evil = 'evil@evil.test';
      const inject = [
        `\r\nBcc: ${evil}`,
        `\nBcc: ${evil}`,
        `\rX-Injected: 1`,
        `\u2028Bcc: ${evil}`,
        `\u2029X-Injected: 1`,
        `\u0085X-Injected: 1`,
        `\0X-Injected: 1`,
      ];
      const hostile: Record<string, unknown>[] = [];
      for (const bad of inject) {
        hostile.push(
          { subject: `Hi${bad}` },
          { from: { address: 'faults@example.com', name: `Ada${bad}` } },
          { from: `Ada${bad} <faults@example.com>` },
          { from: `faults@example.com${bad}` },
          { to: [`alice@example.net${bad}`] },
          { to: [{ address: 'alice@example.net', name: `Alice${bad}` }] },
          { cc: [`carol@example.net${bad}`] },
          { bcc: [{ address: `dave@example.net${bad}` }] },
          { tags: [`tag${bad}`] },
        );
      }
      hostile.push(
        { to: [`"x\r\nBcc: ${evil}"@example.net`] },
        { to: [`"a\u2028b"@example.net`] },
        { to: [`alice@example.net, ${evil}`] },
        { to: [`alice@example.net (c (nested \r\nBcc: ${evil}) c)`] },
        { to: [`Alice (a (b (c)) <alice@example.net>`] },
        { from: `Ada <faults@example.com>\r\nBcc: ${evil}` },
        { to: [`alice@example.net>\r\nBcc: <${evil}`] },
      );
      const before = await h.eventCount();
      const accepted: string[] = [];
      for (const overrides of hostile) {
        const reply = await h.schedule(email(overrides));
        if (reply.status >= 200 && reply.status < 300) accepted.push(JSON.stringify(overrides));
        else
          expect([reply.status, JSON.stringify(overrides)]).toEqual([
            400,
            JSON.stringify(overrides),
          ]);
      }
      expect(accepted).toEqual([]);
      expect(await h.eventCount()).toBe(before);

      // Harmless look-alikes may be delivered, but as text: no extra header, no extra recipient.
      const harmless: Record<string, unknown>[] = [
        { subject: `Hi %0d%0aBcc: ${evil}%0d%0aX-Injected: 1` },
        { subject: 'Hi \\r\\nX-Injected: 1' },
        { text: `line\r\nBcc: ${evil}\r\nX-Injected: 1\r\n\r\n.\r\nMAIL FROM:<${evil}>` },
        { from: { address: 'faults@example.com', name: 'Ada %0d%0aX-Injected: 1' } },
        { to: [`"john.doe"@example.net`] },
        { to: [`alice@example.net (Alice (the (nested) comment))`] },
      ];
      for (const overrides of harmless) {
        const reply = await h.schedule(email(overrides));
        expect(reply.status).toBeLessThan(500);
        expect(reply.status === 201 || reply.status === 400).toBe(true);
      }
      reports['11'] = await h.checkInvariant();

      for (const message of h.sink.messages) {
        expect(message.to).not.toContain(evil);
        expect(message.from).not.toContain('evil');
        const headerNames = message.headers
          .split(/\r\n(?![ \t])/)
          .map((line) => line.split(':', 1)[0]?.toLowerCase());
        expect(headerNames).not.toContain('x-injected');
        expect(headerNames).not.toContain('bcc');
      }
      for (const a of h.acknowledged.values()) {
        for (const message of h.sink.byMessageId(a.messageId)) {
          for (const rcpt of message.to) expect(a.recipients).toContain(rcpt);
        }
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '(10) oversized and deep bodies answer 413/400, the api stays live and its memory bounded',
    async () => {
      const api = h.processes.get('api');
      if (!api) throw new Error('no api');
      const before = await h.eventCount();
      const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
      const deepObject = (levels: number): string =>
        '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
      const cases: { name: string; raw: string | Buffer; expected: number[] }[] = [
        {
          name: '101 kB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(101 * 1024) })),
          expected: [201, 400, 413],
        },
        {
          name: '2 MB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(2 * MB) })),
          expected: [413],
        },
        {
          name: '10 MB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(10 * MB) })),
          expected: [413],
        },
        {
          name: '10k recipients',
          raw: JSON.stringify(
            email({ to: Array.from({ length: 10_000 }, (_, i) => `r${i}@example.net`) }),
          ),
          expected: [400, 413],
        },
        {
          name: '1,000-level array nesting in to',
          raw: `{"from":"faults@example.com","subject":"x","text":"x","sendAt":"${new Date(Date.now() + 60_000).toISOString()}","to":${deep(1_000)}}`,
          expected: [400],
        },
        {
          name: '1,000-level object nesting in subject',
          raw: `{"from":"faults@example.com","to":"a@example.net","text":"x","sendAt":"${new Date(Date.now() + 60_000).toISOString()}","subject":${deepObject(1_000)}}`,
          expected: [400],
        },
        { name: '100k-level nesting', raw: deep(100_000), expected: [400] },
        {
          name: '1,000-level batch nesting',
          raw: `{"emails":${deep(1_000)}}`,
          expected: [400],
        },
      ];
      let peakRss = api.rssBytes();
      for (const c of cases) {
        const path = c.name.includes('batch') ? '/v1/emails/batch' : '/v1/emails';
        const replies = await Promise.all(
          Array.from({ length: 3 }, () => h.call('POST', path, { raw: c.raw, timeoutMs: 60_000 })),
        );
        for (const reply of replies) {
          expect([c.name, c.expected.includes(reply.status) ? 'expected' : reply.text]).toEqual([
            c.name,
            'expected',
          ]);
          if (reply.status >= 400) expect(reply.body.statusCode).toBe(reply.status);
        }
        if (replies[0]?.status === 201) {
          for (const reply of replies)
            h.acknowledge(JSON.parse(String(c.raw)) as Record<string, unknown>, reply);
        }
        peakRss = Math.max(peakRss, api.rssBytes());
        expect((await h.call('GET', '/health/live')).status).toBe(200);
      }
      expect(api.alive).toBe(true);
      expect(peakRss).toBeLessThan(300 * MB);
      const appended = (await h.eventCount()) - before;
      const accepted = appended;
      // Only the 101 kB case may have been accepted (if the body limit allows it).
      expect(appended === 0 || appended === 3).toBe(true);
      reports['10'] = {
        ...(await h.checkInvariant()),
        acceptedOversized: accepted,
        peakRssMb: Math.round(peakRss / MB),
      };
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(3) Redis FLUSHDB with ${N} delayed jobs pending: every job rebuilt, workers resume without restart, 0 duplicates`,
    async () => {
      const worker = h.processes.get('worker');
      await h.scheduleMany(N, LEAD_MS, 20, 'flush');
      const delayed = async (): Promise<number> => h.redis.zcard('bull:email-send:delayed');
      await waitFor(`${N} delayed jobs in Redis`, async () => (await delayed()) >= N, 30_000, 50);
      await h.redis.flushdb();
      const flushedAt = Date.now();
      expect(await delayed()).toBe(0);
      await waitFor(
        `${N} delayed jobs rebuilt`,
        async () => (await delayed()) >= N,
        30_000,
        50,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${h.logs()}`);
      });
      const recoveryMs = Date.now() - flushedAt;
      expect(worker?.alive).toBe(true);
      expect(h.processes.get('worker')).toBe(worker);
      reports['3'] = { ...(await h.checkInvariant(60_000 + N * 100)), recoveryMs };
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(2) kill -9 the projector mid-batch while ${N} emails flow, restart it: the read model equals a rebuild`,
    async () => {
      const firstDue = Date.now() + LEAD_MS / 2;
      const scheduling = h.scheduleMany(N, LEAD_MS / 2, 20, 'projector');
      await sleep(300);
      await h.kill('projector', 'SIGKILL');
      await sleep(200);
      await h.start('projector');
      await scheduling;
      // Again while the sends (Attempted/Sent events) flow.
      await sleep(Math.max(0, firstDue - Date.now()) + 300);
      await h.restart('projector');
      reports['2'] = await h.checkInvariant(60_000 + N * 100);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(7) two workers, one frozen with SIGSTOP past its job lock, then SIGCONT: no duplicate`,
    async () => {
      const dueAt = Date.now() + LEAD_MS;
      await h.scheduleMany(N, LEAD_MS, 20, 'frozen');
      // Freeze the only worker just as the jobs fall due, so it holds some of them (fetched, locked);
      // then a second worker starts, and must not send what the frozen one holds until its lock is gone.
      await sleep(Math.max(0, dueAt - Date.now() - 200));
      await waitFor(
        'the worker to take the first due jobs',
        async () => (await h.redis.llen('bull:email-send:active')) > 0,
        30_000,
        1,
      );
      await h.kill('worker', 'SIGSTOP');
      const frozenAt = Date.now();
      const heldByFrozen = await h.redis.llen('bull:email-send:active');
      await h.start('worker-2', 'worker');
      // The second worker delivers everything, the frozen one's jobs once their BullMQ lock has run out
      // (stalled-job check) or their lease has (in-doubt check). Only then the frozen one wakes up.
      const delivered = (): boolean =>
        [...h.acknowledged.values()].every((a) => h.sink.byMessageId(a.messageId).length > 0);
      await waitFor(
        'every email delivered, and the frozen worker past its job lock (30 s)',
        () => delivered() && Date.now() - frozenAt > 31_000,
        120_000,
        100,
      ).catch(() => undefined);
      const deliveredWhileFrozen = delivered();
      const frozenMs = Date.now() - frozenAt;
      expect(heldByFrozen).toBeGreaterThan(0);
      await h.kill('worker', 'SIGCONT');
      await sleep(3_000);
      expect(h.processes.get('worker')?.alive).toBe(true);
      const { rows } = await h.pool.query<{ worker: string; n: string }>(
        `SELECT data->>'workerId' AS worker, count(*) AS n FROM event_store.events
           WHERE type = 'EmailSendAttempted' AND recorded_at > now() - interval '10 minutes'
           GROUP BY 1 ORDER BY 1`,
      );
      reports['7'] = {
        ...(await h.checkInvariant(60_000 + N * 100)),
        deliveredWhileFrozen,
        frozenMs,
        heldByFrozen,
        attemptsByWorker: rows.map((row) => Number(row.n)),
      };
    },
    SCENARIO_TIMEOUT_MS + 180_000,
  );
});
