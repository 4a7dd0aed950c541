// The fault suite (issue 6): the real api, projector and workers against the real Postgres and Redis and an
// SMTP sink on loopback; each scenario injects a fault and ends with the same invariant (fault-harness.ts).
// FAULTS_N sets the emails per scenario: small in CI, 1,000 for the full run, which also regenerates
// docs/RELIABILITY.md: `FAULTS_N=1000 FAULTS_REPORT=docs/RELIABILITY.md npm run test:faults`.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  badEmailRequests,
  isJson,
  untilInstant,
  waitFor,
  type SessionHook,
  type SinkAnswer,
} from '@app/testing';
import { BULLMQ_PREFIX } from '@app/platform';
import { FAULTS_N, FaultHarness, SEND_LEASE_MS, type Acknowledged } from './fault-harness';
import { writeReliabilityReport, type ScenarioFigures } from './reliability-report';

const N = FAULTS_N;
/** Long enough for N emails to be scheduled through HTTP before the first is due. */
const LEAD_MS = 4_000 + N * 12;
const SCENARIO_TIMEOUT_MS = 120_000 + N * 200;
const MB = 1024 * 1024;
/** Scenario 5's relay outage. */
const OUTAGE_MS = 60_000;
/** Scenario 6's clock jump: how long the worker's clock stays an hour ahead. */
const CLOCK_JUMP_MS = 3_000;
/** Scenario 4's clients retry a 503 after its Retry-After, capped at this to keep the test short. */
const RETRY_AFTER_CAP_MS = 200;
/** Scenario 9's generated payloads: 10,000 in the full run. */
const PAYLOADS = Math.max(2_000, N * 10);
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

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

/** Limitations the report states plainly (docs/RELIABILITY.md, "Not yet guaranteed"). */
const NOT_GUARANTEED = [
  'The guard’s one remaining window: a worker killed (or frozen past its job lock) after the relay stored a message but before its 250 reached the worker makes a duplicate under the default IN_DOUBT_POLICY=resend (same Message-ID, so receivers and operators can recognise it); IN_DOUBT_POLICY=fail avoids it but leaves every in-doubt email failed for review, including those that never reached the relay. The invariant excuses exactly this duplicate, once per email, and no other.',
  'A worker that dies after taking a job but before claiming it leaves the job locked until BullMQ’s stalled-job check returns it (lock 10 s, checked every 30 s): those emails go out up to about 40 s late, never twice and never lost (scenarios 1 and 7 show the lateness). Attempts it had claimed are resolved once their lease has run out and its job lock has lapsed.',
  'While PostgreSQL is down nothing can be scheduled (the api answers 503 with Retry-After) and nothing is sent; emails that fell due meanwhile go out once it is back, late by the outage.',
  'A worker whose clock is more than MAX_CLOCK_SKEW_MS off Redis’s time stops taking jobs until it agrees again; if every worker is off, emails wait (late, never early).',
  'Redis coming back older, emptied or restarted is noticed by the scheduler within half a second (a marker beside the jobs: gone, behind what it wrote, or a new run_id) and healed by a reconcile against the due index in Postgres (scenario 17); a loss no sign reveals (a single evicted key) waits for the reconcile every minute.',
  'The invariant is checked on this one machine (loopback, one PostgreSQL, one Redis); Redis Sentinel or cluster failover and EventStoreDB as the store are not exercised here.',
];

describe(`fault suite (N = ${N})`, () => {
  let h: FaultHarness;
  const reports: Record<string, ScenarioFigures> = {};

  beforeAll(async () => {
    h = await FaultHarness.create();
    await h.start('api');
    await h.start('projector');
    await h.start('worker');
  }, 300_000);

  beforeEach(() => h.beginScenario());

  afterAll(async () => {
    if (Object.keys(reports).length > 0) {
      process.stdout.write(`fault suite figures: ${JSON.stringify(reports, null, 1)}\n`);
      const reportPath = process.env.FAULTS_REPORT;
      if (reportPath) await writeReliabilityReport(reportPath, N, h.pool, reports, NOT_GUARANTEED);
    }
    await h?.close();
  }, 180_000);

  /** The acknowledged email sent to `address`. */
  function emailTo(address: string): Acknowledged {
    const found = [...h.acknowledged.values()].find((a) => a.recipients.includes(address));
    if (!found) throw new Error(`no acknowledged email to ${address}`);
    return found;
  }

  it(
    '(1) kill -9 the sending worker before DATA, during DATA, and after the sink stored the message but before its 250: 0 lost; a duplicate only at the last point, with the same Message-ID',
    async () => {
      const points: {
        readonly point: string;
        readonly answer: (hook: SessionHook) => SinkAnswer;
      }[] = [
        { point: 'before DATA', answer: (hook) => ({ atRcpt: hook }) },
        { point: 'during DATA', answer: (hook) => ({ stallData: hook }) },
        { point: 'after storing, before 250', answer: (hook) => ({ storeThen: hook }) },
      ];
      const perPoint = Math.max(3, Math.ceil(N / 3));
      const kills: { point: string; trap: string; killedAt: number }[] = [];
      for (const [i, { point, answer }] of points.entries()) {
        const trap = `trap${i}-${Date.now()}@example.net`;
        let killed: string | undefined;
        let killedAt = 0;
        // The sink kills whichever worker process is on the other end of this session.
        h.sink.answer(
          trap,
          answer(async (clientPort) => {
            const name = h.ownerOf(clientPort);
            if (!name) throw new Error(`no process of ours holds port ${clientPort}`);
            await h.kill(name, 'SIGKILL');
            killedAt = Date.now();
            killed = name;
          }),
        );
        // The trap is one of perPoint emails due at the same instant: the kill catches others in flight too.
        await h.scheduleMany(perPoint, LEAD_MS, 20, `crash${i}`, (n) =>
          n === Math.floor(perPoint / 2) ? trap : `crash${i}-${n}@example.net`,
        );
        await waitFor(`the kill ${point}`, () => killed !== undefined, LEAD_MS + 60_000, 10).catch(
          (error: unknown) => {
            throw new Error(`${String(error)}\n${h.logs()}`);
          },
        );
        await h.start(killed ?? 'worker', 'worker');
        kills.push({ point, trap, killedAt });
      }
      // Jobs the dead workers had taken but not claimed come back after BullMQ's stalled check (~60 s).
      const report = await h.checkInvariant(150_000);
      const copies = kills.map(({ trap }) => {
        const a = emailTo(trap);
        return h.sink.accepted(a.messageId).map((message) => message.messageId === a.messageId);
      });
      // Under IN_DOUBT_POLICY=resend (the default): once, once, and twice with the same Message-ID. Other
      // emails the killed workers had in flight are duplicated only if the sink had stored them from the
      // killed worker before the kill (the invariant checks exactly that, email by email).
      expect(copies).toEqual([[true], [true], [true, true]]);
      reports['1'] = {
        ...report,
        otherInFlightDuplicates: report.duplicates - 1,
        trapCopies: kills.map(({ point }, i) => `${point}: ${copies[i]?.length}`).join(', '),
      };
    },
    SCENARIO_TIMEOUT_MS + 180_000,
  );

  it(
    `(2) kill -9 the projector mid-batch while ${N} emails flow, restart it: the read model equals a rebuild`,
    async () => {
      const before = h.acknowledged.size;
      const scenario = (): Acknowledged[] => [...h.acknowledged.values()].slice(before);
      let flowing = true;
      const scheduling = h.scheduleMany(N, LEAD_MS / 2, 20, 'projector').finally(() => {
        flowing = false;
      });
      const projected = async (): Promise<number> => {
        const { rows } = await h.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM read_model.emails WHERE email_id = ANY($1::uuid[])`,
          [scenario().map((a) => a.id)],
        );
        return Number(rows[0]?.n);
      };
      await waitFor(
        'the projector to be projecting the flow',
        async () => (await projected()) > 0,
        30_000,
        10,
      );
      await h.kill('projector', 'SIGKILL');
      const atKill = h.acknowledged.size;
      await waitFor(
        'more emails acknowledged while the projector is down',
        () => h.acknowledged.size > atKill || !flowing,
        30_000,
        10,
      );
      await h.start('projector');
      await scheduling;
      // Again while the sends (Attempted/Sent events) flow.
      await waitFor(
        'the first of these emails to be sent',
        () => scenario().some((a) => h.deliveries(a) > 0),
        LEAD_MS + 60_000,
        10,
      );
      await h.restart('projector');
      reports['2'] = await h.checkInvariant(60_000 + N * 100);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(3) Redis FLUSHDB with ${N} delayed jobs pending: every job rebuilt, workers resume without restart, 0 duplicates`,
    async () => {
      const worker = h.processes.get('worker');
      await h.scheduleMany(N, LEAD_MS, 20, 'flush');
      const delayed = async (): Promise<number> =>
        h.redis.zcard(`${BULLMQ_PREFIX}:email-send:delayed`);
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
    '(4) Postgres restarted with -m immediate under load: 503 (never another 5xx) while it is down, no process exits, every acknowledged email sent once',
    async () => {
      const clients = 8;
      let running = true;
      let next = 0;
      let retried503 = 0;
      let lastOutageAt = 0;
      let restartedAt = Number.POSITIVE_INFINITY;
      let acceptedAfterRestart = 0;
      const transportErrors: string[] = [];
      const sendAt = (): string => new Date(Date.now() + LEAD_MS).toISOString();
      // Clients as a careful user writes them: each request has its Idempotency-Key, and a 503 is retried
      // with the same key after Retry-After (capped here at 200 ms to keep the test short).
      const load = Promise.all(
        Array.from({ length: clients }, async () => {
          while (running) {
            const n = next++;
            const body = email({
              to: [`pg${n}@example.net`],
              subject: `pg ${n}`,
              sendAt: sendAt(),
            });
            const headers = { 'idempotency-key': `pg-restart-${n}` };
            for (;;) {
              const reply = await h.schedule(body, headers).catch((error: unknown) => {
                transportErrors.push(String(error));
                return undefined;
              });
              if (reply && reply.status < 300 && Date.now() > restartedAt + 2_000)
                acceptedAfterRestart += 1;
              if (reply?.status !== 503) break;
              retried503 += 1;
              lastOutageAt = Date.now();
              await untilInstant(lastOutageAt + RETRY_AFTER_CAP_MS);
            }
          }
        }),
      );
      await waitFor(
        'load to flow',
        () => h.acknowledged.size > 0 && next > clients * 5,
        30_000,
        10,
      );
      const restartAt = Date.now();
      await h.postgres('restart', '-m', 'immediate');
      restartedAt = Date.now();
      await waitFor(
        'the api to accept again, 2 s after the restart',
        () => acceptedAfterRestart >= clients,
        60_000,
        50,
      );
      running = false;
      await load;
      const recoveredMs = lastOutageAt === 0 ? 0 : lastOutageAt - restartAt;
      expect(transportErrors).toEqual([]);
      expect(h.serverErrors()).toEqual(retried503 > 0 ? { '503': retried503 } : {});
      for (const started of h.processes.values())
        expect([started.name, started.alive]).toEqual([started.name, true]);
      const report = await h.checkInvariant(120_000 + N * 100);
      // No orphans either: nothing reached the sink for a request that was never acknowledged.
      const acknowledgedIds = new Set([...h.acknowledged.values()].map((a) => a.messageId));
      const orphans = h.sink.messages.filter(
        (m) => m.to.some((to) => to.startsWith('pg')) && !acknowledgedIds.has(m.messageId ?? ''),
      );
      expect(orphans).toHaveLength(0);
      reports['4'] = {
        ...report,
        restartCommandMs: restartedAt - restartAt,
        answered503: retried503,
        last503AfterRestartMs: recoveredMs,
        orphans: orphans.length,
      };
    },
    SCENARIO_TIMEOUT_MS + 120_000,
  );

  it(
    `(5) relay answering 421/451/454 then 250 and 550/553 for good, then down for ${OUTAGE_MS / 1000} s: transient retried to success, permanent failed once, none failed by the outage`,
    async () => {
      const codes = [421, 451, 454, 550, 553];
      const recipient = (n: number): string => `relay${n}@example.net`;
      // Half of the messages are refused once with one of the codes; the 5xx ones for good.
      const codeOf = (n: number): number | undefined =>
        n % 2 === 0 ? codes[(n / 2) % codes.length] : undefined;
      for (let n = 0; n < N; n += 1) {
        const code = codeOf(n);
        if (code !== undefined) h.sink.answer(recipient(n), { code });
      }
      await h.scheduleMany(N, 1_000 + N * 12, 20, 'relay', recipient, (n) =>
        (codeOf(n) ?? 0) >= 500 ? 'bounced' : 'delivered',
      );
      const refusals = await h.checkInvariant(60_000 + N * 100);

      // The relay goes down; emails allowed one attempt only fall due during the outage.
      h.beginScenario();
      await h.sink.down();
      const downAt = Date.now();
      const sendAt = new Date(Date.now() + 2_000).toISOString();
      for (let n = 0; n < N; n += 1) {
        const reply = await h.schedule(
          email({ to: [`outage${n}@example.net`], subject: `outage ${n}`, sendAt, maxAttempts: 1 }),
        );
        expect(reply.status).toBe(201);
      }
      await untilInstant(downAt + OUTAGE_MS);
      const ids = [...h.acknowledged.values()].slice(-N).map((a) => a.id);
      const { rows } = await h.pool.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM read_model.emails WHERE email_id = ANY($1::uuid[]) GROUP BY 1`,
        [ids],
      );
      const duringOutage = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
      expect(duringOutage.failed ?? 0).toBe(0);
      expect(duringOutage.sent ?? 0).toBe(0);
      await h.sink.up();
      const upAt = Date.now();
      const outage = await h.checkInvariant(60_000 + N * 100);
      const lastDelivery = Math.max(
        ...[...h.acknowledged.values()]
          .slice(-N)
          .flatMap((a) => h.sink.accepted(a.messageId).map((m) => m.receivedAt)),
      );
      reports['5'] = {
        ...outage,
        acknowledged: refusals.acknowledged + outage.acknowledged,
        bounced: refusals.bounced,
        refusedOnce: `${codes.join('/')} to ${Math.ceil(N / 2)} of ${N}`,
        refusalsMaxLatenessMs: refusals.maxLatenessMs,
        statusesDuringOutage: duringOutage,
        allSentAfterRelayBackMs: lastDelivery - upAt,
      };
    },
    SCENARIO_TIMEOUT_MS + OUTAGE_MS + 60_000,
  );

  it(
    "(6) a worker's clock jumps +1 h, then -10 min (libfaketime) beside a healthy worker: no email sent early, none twice",
    async () => {
      expect(existsSync(LIBFAKETIME)).toBe(true); // Debian package faketime; .ci/run installs it
      const dir = await mkdtemp(join(tmpdir(), 'faults-clock-'));
      const offset = join(dir, 'offset');
      await writeFile(offset, '+0\n');
      try {
        const skewed = await h.start('worker-clock', 'worker', {
          LD_PRELOAD: LIBFAKETIME,
          FAKETIME_TIMESTAMP_FILE: offset,
          FAKETIME_NO_CACHE: '1',
          FAKETIME_DONT_FAKE_MONOTONIC: '1',
        });
        const offLines = (): number =>
          (skewed.output.match(/host clock is -?\d+ ms off/g) ?? []).length;
        const agreeLines = (): number =>
          (skewed.output.match(/agrees with Redis's again/g) ?? []).length;
        const dueAt = Date.now() + LEAD_MS + 12_000;
        await h.scheduleMany(N, dueAt - Date.now(), 20, 'clock');
        const ids = [...h.acknowledged.values()].slice(-N);
        const sentEarly = (): number =>
          ids.filter((a) => h.sink.received(a.messageId).some((m) => m.receivedAt < a.sendAt))
            .length;

        // The jump lasts 3 s, all of it before the emails are due: none may go out meanwhile. One more email
        // scheduled at once wakes every worker's BullMQ loop, which then promotes delayed jobs by its own clock.
        await writeFile(offset, '+1h\n');
        const jumpEndsAt = Date.now() + CLOCK_JUMP_MS;
        const wake = await h.schedule(
          email({ subject: 'wake up', sendAt: new Date(dueAt).toISOString() }),
        );
        expect(wake.status).toBe(201);
        await untilInstant(jumpEndsAt);
        expect(Date.now()).toBeLessThan(dueAt);
        expect(ids.filter((a) => h.sink.received(a.messageId).length > 0)).toEqual([]);
        expect(offLines()).toBe(1); // and the worker said why it stopped taking jobs
        await writeFile(offset, '+0\n');
        await waitFor('the worker to agree again', () => agreeLines() === 1, 10_000, 20);
        await writeFile(offset, '-10m\n');
        await waitFor(
          'the skewed worker to notice it runs behind',
          () => offLines() === 2,
          10_000,
          20,
        );
        const report = await h.checkInvariant(60_000 + N * 100);
        expect(sentEarly()).toBe(0);
        const { rows } = await h.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM event_store.events
            WHERE type = 'EmailSendAttempted' AND split_part(data->>'workerId', ':', 2) = $1`,
          [String(skewed.pid)],
        );
        await writeFile(offset, '+0\n');
        await waitFor('the worker to agree again', () => agreeLines() === 2, 10_000, 20);
        expect(skewed.alive).toBe(true);
        reports['6'] = { ...report, attemptsBySkewedWorker: Number(rows[0]?.n) };
      } finally {
        await h.kill('worker-clock', 'SIGTERM');
        await rm(dir, { recursive: true, force: true });
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(7) two workers, one frozen with SIGSTOP past its job lock, then SIGCONT: no duplicate`,
    async () => {
      const dueAt = Date.now() + LEAD_MS;
      const before = h.acknowledged.size;
      await h.scheduleMany(N, LEAD_MS, 20, 'frozen');
      const scenario = [...h.acknowledged.values()].slice(before);
      // Freeze the only worker just as the jobs fall due, so it holds some of them (fetched, locked);
      // then a second worker starts, and must not send what the frozen one holds until its lock is gone.
      await untilInstant(dueAt - 200);
      await waitFor(
        'the worker to take the first due jobs',
        async () => (await h.redis.llen(`${BULLMQ_PREFIX}:email-send:active`)) > 0,
        30_000,
        1,
      );
      await h.kill('worker', 'SIGSTOP');
      const frozenAt = Date.now();
      const heldByFrozen = await h.redis.llen(`${BULLMQ_PREFIX}:email-send:active`);
      expect(heldByFrozen).toBeGreaterThan(0);
      await h.start('worker-2', 'worker');
      // The second worker delivers everything while the first stays frozen: the jobs it had taken come
      // back once their BullMQ lock runs out (stalled-job check, every 30 s), and the attempts it had
      // claimed are resolved in doubt once their lease has run out and their job lock has lapsed.
      const delivered = (): boolean =>
        scenario.every((a) => h.sink.accepted(a.messageId).length > 0);
      await waitFor(
        'every email delivered while the first worker is frozen',
        delivered,
        120_000,
        100,
      );
      const frozenMs = Date.now() - frozenAt;
      // Then it wakes up with whatever it held: stale reads, claims and sends made before the freeze. It must
      // not send any of them again (its claims lose, its final dots are past their deadline).
      await h.kill('worker', 'SIGCONT');
      const wokenAt = Date.now();
      const attemptsBefore = await h.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM event_store.events WHERE type = 'EmailSendAttempted'`,
      );
      // What the woken worker does, it does within a lease: let two pass.
      await untilInstant(wokenAt + SEND_LEASE_MS * 2);
      expect(h.processes.get('worker')?.alive).toBe(true);
      const { rows } = await h.pool.query<{ worker: string; n: string }>(
        `SELECT data->>'workerId' AS worker, count(*) AS n FROM event_store.events
           WHERE type = 'EmailSendAttempted' AND recorded_at > now() - interval '10 minutes'
           GROUP BY 1 ORDER BY 1`,
      );
      const attemptsAfter = await h.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM event_store.events WHERE type = 'EmailSendAttempted'`,
      );
      reports['7'] = {
        ...(await h.checkInvariant(60_000 + N * 100)),
        frozenMs,
        attemptsAfterWaking: Number(attemptsAfter.rows[0]?.n) - Number(attemptsBefore.rows[0]?.n),
        heldByFrozen,
        attemptsByWorker: rows.map((row) => Number(row.n)),
      };
    },
    SCENARIO_TIMEOUT_MS + 180_000,
  );

  it(
    '(8) 100 parallel identical requests with one Idempotency-Key make one stream; another body is 422',
    async () => {
      const before = await h.scheduledCount();
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
      expect((await h.scheduledCount()) - before).toBe(1);

      const other = await h.call('POST', '/v1/emails', {
        body: { ...body, subject: 'another body' },
        headers,
      });
      expect(other.status).toBe(422);
      expect((await h.scheduledCount()) - before).toBe(1);

      reports['8'] = await h.checkInvariant();
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(9) ${PAYLOADS} generated invalid payloads: all 4xx, 0 5xx, 0 events appended`,
    async () => {
      const before = await h.scheduledCount();
      const farAway = new Date(Date.now() + 86_400_000).toISOString();
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          badEmailRequests(() => email({ sendAt: farAway })),
          async (request) => {
            const [contentType, payload] =
              request.kind === 'json'
                ? ['application/json', JSON.stringify(request.body)]
                : [request.contentType, request.text];
            const reply = await h.call('POST', '/v1/emails', {
              raw: payload,
              headers: { 'content-type': contentType },
            });
            statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
            expect([reply.status >= 400 && reply.status < 500, payload]).toEqual([true, payload]);
            expect(isJson(reply.text) && reply.body.statusCode === reply.status).toBe(true);
          },
        ),
        { numRuns: PAYLOADS },
      );
      expect(await h.scheduledCount()).toBe(before);
      reports['9'] = {
        ...(await h.checkInvariant()),
        payloads: PAYLOADS,
        answers: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
        emailsScheduled: (await h.scheduledCount()) - before,
      };
    },
    SCENARIO_TIMEOUT_MS + PAYLOADS * 20,
  );

  it(
    '(10) oversized and deep bodies answer 413/400, the api stays live and its memory bounded',
    async () => {
      const api = h.processes.get('api');
      if (!api) throw new Error('no api');
      const before = await h.scheduledCount();
      const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
      const deepObject = (levels: number): string =>
        '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
      const cases: { name: string; raw: string | Buffer; expected: number[] }[] = [
        {
          name: '101 kB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(101 * 1024) })),
          expected: [201, 400, 413],
        },
        // POST /v1/emails takes bodies up to 15 MB (attachments come as base64): the domain's limit refuses
        // a body that large by its field; past 15 MB the parser does. Two such bodies are read at a time:
        // of the three sent at once, one may be told to come back (503).
        {
          name: '2 MB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(2 * MB) })),
          expected: [400, 503],
        },
        {
          name: '10 MB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(10 * MB) })),
          expected: [400, 503],
        },
        {
          name: '16 MB text',
          raw: JSON.stringify(email({ text: 'x'.repeat(16 * MB) })),
          expected: [413, 503],
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
      const appended = (await h.scheduledCount()) - before;
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
          { replyTo: [`help@example.net${bad}`] },
          { replyTo: [{ address: 'help@example.net', name: `Help${bad}` }] },
          { headers: { 'X-Campaign': `spring${bad}` } },
          { headers: { [`X-Campaign${bad}`]: 'spring' } },
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
        { headers: { Bcc: evil } },
        { headers: { 'reply-to': evil } },
        { headers: { 'X-A: 1\r\nBcc': evil } },
        { headers: { 'Content-Type': 'multipart/mixed; boundary=x' } },
      );
      const before = await h.scheduledCount();
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
      expect(await h.scheduledCount()).toBe(before);

      // Harmless look-alikes may be delivered, but as text: no extra header, no extra recipient.
      const harmless: Record<string, unknown>[] = [
        { subject: `Hi %0d%0aBcc: ${evil}%0d%0aX-Injected: 1` },
        { subject: 'Hi \\r\\nX-Injected: 1' },
        { text: `line\r\nBcc: ${evil}\r\nX-Injected: 1\r\n\r\n.\r\nMAIL FROM:<${evil}>` },
        { from: { address: 'faults@example.com', name: 'Ada %0d%0aX-Injected: 1' } },
        { to: [`"john.doe"@example.net`] },
        { to: [`alice@example.net (Alice (the (nested) comment))`] },
        { headers: { 'X-Campaign': `spring %0d%0aBcc: ${evil}` } },
        { replyTo: [{ address: 'help@example.net', name: 'Help %0d%0aX-Injected: 1' }] },
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
        for (const message of h.sink.accepted(a.messageId)) {
          for (const rcpt of message.to) expect(a.recipients).toContain(rcpt);
        }
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "(12) a sender key on another tenant's emails and on every admin route: 404/403, 0 rows leaked",
    async () => {
      const keyFor = async (tenantId: string): Promise<string> => {
        const reply = await h.call('POST', '/v1/admin/api-keys', {
          body: { role: 'sender', tenantId, name: `${tenantId} app` },
        });
        expect(reply.status).toBe(201);
        // It sends from email()'s example.com.
        const domains = await h.call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
          body: { domains: ['example.com'] },
        });
        expect(domains.status).toBe(200);
        return String(reply.body.key);
      };
      const acme = await keyFor('acme');
      const globex = await keyFor('globex');
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      const secret = `acme-secret-${Date.now()}`;
      const acmeIds: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const reply = await h.schedule(
          email({ to: [`acme${i}@example.net`], subject: `${secret} ${i}`, text: secret }),
          as(acme),
        );
        expect(reply.status).toBe(201);
        acmeIds.push(String(reply.body.id));
      }
      const acmeId = acmeIds[0] ?? '';
      const docs = await fetch(`${h.apiUrl}/docs-json`);
      const openApi = (await docs.json()) as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.entries(openApi.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })),
      );
      const leaks: string[] = [];
      const wrong: string[] = [];
      let checked = 0;
      for (const { path, method } of operations) {
        if (!path.startsWith('/v1/')) continue;
        const admin = path.startsWith('/v1/admin');
        const aboutAnEmail = /^\/v1\/emails\/\{[^}]+\}/.test(path);
        if (!admin && !aboutAnEmail) continue;
        // Every id is acme's email; a position (an attachment's index) is a position.
        const url = path.replace(/\{index\}/g, '0').replace(/\{[^}]+\}/g, acmeId);
        // A body each route takes (a reschedule's for PATCH, none needed for pause/resume/retry), so that
        // the refusal heard is about the tenant and not about the request.
        const body =
          method === 'GET' || method === 'DELETE'
            ? undefined
            : method === 'PATCH'
              ? { sendAt: new Date(Date.now() + 86_400_000).toISOString() }
              : {};
        const reply = await h.call(method, url, {
          body,
          headers: { ...as(globex), 'if-match': '0' },
        });
        checked += 1;
        const expected = admin ? 403 : 404;
        if (reply.status !== expected) wrong.push(`${method} ${url}: ${reply.status}`);
        if (
          reply.text.includes(secret) ||
          acmeIds.some((id) => reply.text.includes(id) && !url.includes(id))
        )
          leaks.push(`${method} ${url}`);
      }
      // The same routes work for the owner: the refusals above are about the tenant, not the route.
      const own = await h.call('GET', `/v1/emails/${acmeId}/history`, { headers: as(acme) });
      expect(own.status).toBe(200);
      expect(own.text).toContain(secret);
      expect({ wrong, leaks }).toEqual({ wrong: [], leaks: [] });
      // Nothing the other tenant sent changed acme's emails.
      const types = ((own.body.events ?? []) as { type: string }[]).map((event) => event.type);
      expect(
        types.filter((type) => type === 'EmailCancelled' || type === 'EmailRescheduled'),
      ).toEqual([]);
      reports['12'] = {
        ...(await h.checkInvariant()),
        routesChecked: checked,
        leaks: leaks.length,
      };
    },
    SCENARIO_TIMEOUT_MS,
  );

  /** The events of these emails' streams of one type. */
  async function eventsOf(
    ids: readonly string[],
    type: string,
  ): Promise<Record<string, unknown>[]> {
    const { rows } = await h.pool.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM event_store.events WHERE type = $1 AND stream_name = ANY($2::text[])`,
      [type, ids.map((id) => `email-${id}`)],
    );
    return rows.map((row) => row.data);
  }

  it(
    '(13) a slow relay (each 250 1.5 s after the final dot), 30 emails due at once, SMTP_POOL_SIZE=2, WORKER_LEASE_MS=6000: slower, never doubled, never in doubt',
    async () => {
      const workers = await h.stopWorkers();
      await h.start('worker-slow', 'worker', { SMTP_POOL_SIZE: '2', WORKER_LEASE_MS: '6000' });
      h.sink.replyDelayMs = 1_500;
      try {
        const count = 30;
        const before = h.acknowledged.size;
        await h.scheduleMany(count, 2_000, 10, 'slow');
        const ids = [...h.acknowledged.values()].slice(before).map((a) => a.id);
        const report = await h.checkInvariant(90_000);
        const attempts = await eventsOf(ids, 'EmailSendAttempted');
        const inDoubt = await eventsOf(ids, 'EmailSendInDoubt');
        const failed = await eventsOf(ids, 'EmailFailed');
        expect({
          attempts: attempts.length,
          inDoubt: inDoubt.length,
          failed: failed.length,
        }).toEqual({ attempts: count, inDoubt: 0, failed: 0 });
        reports['13'] = { ...report, attempts: attempts.length, inDoubtEvents: inDoubt.length };
      } finally {
        h.sink.replyDelayMs = 0;
        await h.kill('worker-slow', 'SIGTERM');
        for (const name of workers) await h.start(name, 'worker');
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '(14) the last attempt allowed (maxAttempts 1) claimed by a worker killed while it waits for the greeting: resent under the default policy, 0 lost',
    async () => {
      const workers = await h.stopWorkers();
      let killedAt = 0;
      // A fresh worker has no pooled connection: its first one's greeting is held while the test kills it.
      h.sink.stallNextGreeting(async () => {
        await h.kill('worker-last', 'SIGKILL');
        killedAt = Date.now();
      });
      await h.start('worker-last', 'worker');
      const count = 10;
      const before = h.acknowledged.size;
      const sendAt = new Date(Date.now() + 2_000).toISOString();
      for (let n = 0; n < count; n += 1) {
        const reply = await h.schedule(
          email({ to: [`last${n}@example.net`], subject: `last ${n}`, sendAt, maxAttempts: 1 }),
        );
        expect(reply.status).toBe(201);
      }
      const ids = [...h.acknowledged.values()].slice(before).map((a) => a.id);
      await waitFor('the kill', () => killedAt > 0, 30_000, 10);
      const claimedBeforeKill = (await eventsOf(ids, 'EmailSendAttempted')).length;
      expect(claimedBeforeKill).toBeGreaterThan(0);
      for (const name of workers) await h.start(name, 'worker');
      const report = await h.checkInvariant(90_000);
      const inDoubt = await eventsOf(ids, 'EmailSendInDoubt');
      expect(inDoubt.length).toBeGreaterThan(0);
      expect(inDoubt.every((d) => d.resolution === 'resend' && d.countsAsAttempt === false)).toBe(
        true,
      );
      reports['14'] = { ...report, claimedBeforeKill, resolvedInDoubt: inDoubt.length };
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '(15) a hostile relay (NUL, escape codes, a reply cut inside a surrogate pair, dropped connections) among 30 emails due together: every outcome recorded, 0 in doubt, 0 duplicates',
    async () => {
      const count = 30;
      const poisoned: Record<number, string> = {
        3: '250 2.0.0 queued\u0000as \u001b[2J\u0007 4F2C1',
        7: `451 4.7.1 ${'x'.repeat(470)}${'😀'.repeat(40)} try\u0000 later`,
        11: '250 ok \u0000'.repeat(300),
        19: '550 5.1.1 no\u0000such user',
      };
      const recipient = (n: number): string => `hostile${n}@example.net`;
      for (const [n, reply] of Object.entries(poisoned)) {
        h.sink.answer(recipient(Number(n)), { rawReply: reply });
      }
      const before = h.acknowledged.size;
      await h.scheduleMany(count, 2_000, 10, 'hostile', recipient, (n) =>
        n === 19 ? 'bounced' : 'delivered',
      );
      const ids = [...h.acknowledged.values()].slice(before).map((a) => a.id);
      const report = await h.checkInvariant(60_000);
      expect(await eventsOf(ids, 'EmailSendInDoubt')).toEqual([]);
      const stored = JSON.stringify([
        ...(await eventsOf(ids, 'EmailSent')),
        ...(await eventsOf(ids, 'EmailFailed')),
      ]);
      expect(stored).not.toMatch(/\\u0000|\\u001b|\\ud[89a-f][0-9a-f]{2}/i);
      reports['15'] = { ...report, poisonedReplies: Object.keys(poisoned).length };
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '(16) two PATCHes with one If-Match on each of many emails at once: one 200 and one 412 per email, the stored time is the 200 one',
    async () => {
      const pairs = Math.max(20, Math.floor(N / 5));
      const created = await Promise.all(
        Array.from({ length: pairs }, async (_, n) => {
          const body = email({
            to: [`patch${n}@example.net`],
            subject: `patch ${n}`,
            sendAt: new Date(Date.now() + 86_400_000).toISOString(),
          });
          const reply = await h.call('POST', '/v1/emails', { body });
          expect(reply.status).toBe(201);
          return { body, id: String(reply.body.id) };
        }),
      );
      const soon = Date.now() + 4_000;
      const outcomes = await Promise.all(
        created.map(async ({ body, id }) => {
          const times = [soon, soon + 500].map((t) => new Date(t).toISOString());
          const replies = await Promise.all(
            times.map((sendAt) =>
              h.call('PATCH', `/v1/emails/${id}`, {
                body: { sendAt },
                headers: { 'if-match': '"0"' },
              }),
            ),
          );
          const winner = replies.find((r) => r.status === 200);
          if (winner) h.acknowledge({ ...body, sendAt: winner.body.sendAt }, winner);
          const history = await h.call('GET', `/v1/emails/${id}/history`);
          const state = history.body.state as { email: { sendAt: string } };
          return {
            statuses: replies.map((r) => r.status).sort((a, b) => a - b),
            lostUpdate: winner !== undefined && state.email.sendAt !== winner.body.sendAt,
          };
        }),
      );
      const both200 = outcomes.filter((o) => o.statuses.join() === '200,200').length;
      expect({
        both200,
        lostUpdates: outcomes.filter((o) => o.lostUpdate).length,
        other: outcomes.filter((o) => o.statuses.join() !== '200,412').length,
      }).toEqual({ both200: 0, lostUpdates: 0, other: 0 });
      reports['16'] = { ...(await h.checkInvariant()), pairs };
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `(17) Redis restarted from a snapshot taken before the last ${Math.max(25, Math.ceil(N / 2))} emails were scheduled: noticed, healed, every email sent once`,
    async () => {
      const half = Math.max(25, Math.ceil(N / 2));
      const redis = await h.privateRedis();
      const workers = await h.stopWorkers();
      const worker = await h.start('worker-rdb', 'worker', { REDIS_URL: redis.url });
      const delayed = (): Promise<number> =>
        redis.run((client) => client.zcard(`${BULLMQ_PREFIX}:email-send:delayed`));
      try {
        // Due well after the restart below: what is missing then must be healed before it is due.
        const dueIn = LEAD_MS + 15_000;
        await h.scheduleMany(half, dueIn, 20, 'rdb-before');
        await waitFor('the first half in Redis', async () => (await delayed()) >= half, 30_000, 50);
        await redis.run((client) => client.save());
        await h.scheduleMany(half, dueIn - 1_000, 20, 'rdb-after');
        await waitFor(
          'both halves in Redis',
          async () => (await delayed()) >= 2 * half,
          30_000,
          50,
        );
        // Redis dies and comes back from the snapshot: without the second half's jobs, and with the
        // scheduler's checkpoint from before them.
        await redis.crash();
        await redis.start();
        const restartedAt = Date.now();
        expect(await delayed()).toBeLessThan(2 * half);
        await waitFor(
          'the scheduler to notice and put the jobs back',
          async () => (await delayed()) >= 2 * half,
          30_000,
          50,
        );
        const healedMs = Date.now() - restartedAt;
        expect(worker.output).toContain('Redis came back older');
        reports['17'] = { ...(await h.checkInvariant(120_000)), healedMs };
      } finally {
        await h.kill('worker-rdb', 'SIGTERM');
        await redis.crash();
        for (const name of workers) await h.start(name, 'worker');
      }
    },
    SCENARIO_TIMEOUT_MS + 60_000,
  );
});
