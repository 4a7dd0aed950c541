import { formatInstant } from '@app/domain';
import {
  NOW_MS,
  RELAY_CIRCUIT,
  SenderHarness,
  WORKER,
  accept,
  refuse,
} from '../testing/sender-harness';
import { LIVE_CLAIMER_RECHECK_MS } from './email-sender.service';
import { UnansweredSendError } from './mail-transport';

const at = (ms: number): string => formatInstant(ms);

describe('EmailSender', () => {
  let h: SenderHarness;

  beforeEach(async () => {
    h = await SenderHarness.start();
  });
  afterEach(() => h.close());

  describe('send', () => {
    it('claims the due email, hands the relay its message, and records EmailSent with the reply', async () => {
      const emailId = await h.schedule();
      h.transport.answerNext(accept('250 2.0.0 Ok: queued as 4F2C1'));

      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({ kind: 'sent' });

      expect(h.transport.offered).toEqual([
        {
          messageId: `<${emailId}@acme.example>`,
          from: { name: 'Acme Billing', address: 'billing@acme.example' },
          to: [{ name: '', address: 'jane@example.com' }],
          cc: [],
          bcc: [],
          subject: 'Your invoice',
          text: 'Please find it attached.',
        },
      ]);
      const [, attempted, sent] = await h.history(emailId);
      expect(attempted).toEqual({
        type: 'EmailSendAttempted',
        data: {
          attempt: 1,
          workerId: WORKER,
          jobId: 'job-1',
          claimedAt: at(NOW_MS),
          leaseUntil: at(NOW_MS + h.config.workerLeaseMs),
        },
      });
      expect(sent).toEqual({
        type: 'EmailSent',
        data: {
          attempt: 1,
          messageId: `<${emailId}@acme.example>`,
          response: '250 2.0.0 Ok: queued as 4F2C1',
          sentAt: at(NOW_MS),
        },
      });
    });

    it('skips a job for an older revision (the email was rescheduled since) and sends nothing', async () => {
      const emailId = await h.schedule(NOW_MS);
      await h.decide(emailId, {
        type: 'RescheduleEmail',
        data: { sendAt: at(NOW_MS + 60_000), now: at(NOW_MS) },
      });
      expect(await h.sender.send(emailId, 0, 'job-old')).toEqual({ kind: 'stale' });
      expect(h.transport.offered).toEqual([]);
      expect((await h.history(emailId)).map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailRescheduled',
      ]);
    });

    it('skips a cancelled email', async () => {
      const emailId = await h.schedule(NOW_MS + 60_000);
      await h.decide(emailId, { type: 'CancelEmail', data: { now: at(NOW_MS) } });
      expect(await h.sender.send(emailId, 1, 'job-1')).toEqual({ kind: 'stale' });
      expect(h.transport.offered).toEqual([]);
    });

    it('answers a job that fired before the due time with when to run again, and claims nothing', async () => {
      const emailId = await h.schedule(NOW_MS + 5_000);
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'early',
        dueAtMs: NOW_MS + 5_000,
      });
      expect((await h.history(emailId)).map((e) => e.type)).toEqual(['EmailScheduled']);
    });

    it('of two jobs for one revision, only one claims and sends; the other finds it claimed', async () => {
      const emailId = await h.schedule();
      const outcomes = await Promise.all([
        h.sender.send(emailId, 0, 'job-a'),
        h.sender.send(emailId, 0, 'job-b'),
      ]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['claimed-elsewhere', 'sent']);
      expect(h.transport.offered).toHaveLength(1);
      const types = (await h.history(emailId)).map((e) => e.type);
      expect(types).toEqual(['EmailScheduled', 'EmailSendAttempted', 'EmailSent']);
    });

    it('fails an email the relay refuses for good (550) after one attempt', async () => {
      const emailId = await h.schedule();
      h.transport.answerNext(
        refuse({ responseCode: 550, code: 'EENVELOPE', message: '550 5.1.1 no such user' }),
      );
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'failed',
        failureKind: 'permanent',
      });
      const failed = (await h.history(emailId)).at(-1);
      expect(failed).toMatchObject({
        type: 'EmailFailed',
        data: {
          final: true,
          countsAsAttempt: true,
          failure: { kind: 'permanent', code: 550, errorCode: 'EENVELOPE' },
        },
      });
      expect((await h.state(emailId)).status).toBe('failed');
    });

    it('fails an email whose attachment bytes are gone for good, without offering the relay anything', async () => {
      const emailId = await h.schedule(NOW_MS, 3, {
        attachments: [
          {
            filename: 'invoice.pdf',
            contentType: 'application/pdf',
            size: 3,
            sha256: 'a'.repeat(64),
          },
        ],
      });
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'failed',
        failureKind: 'permanent',
      });
      expect(h.transport.offered).toEqual([]);
      expect((await h.history(emailId)).at(-1)).toMatchObject({
        type: 'EmailFailed',
        data: {
          final: true,
          failure: {
            kind: 'permanent',
            message: `the bytes of attachment "invoice.pdf" (sha256 ${'a'.repeat(64)}) are missing`,
          },
        },
      });
    });

    it('schedules a retry after a transient refusal (451), within the backoff', async () => {
      const emailId = await h.schedule();
      h.transport.answerNext(refuse({ responseCode: 451, message: '451 4.7.1 greylisted' }));
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'failed',
        failureKind: 'transient',
      });
      const state = await h.state(emailId);
      if (state.status !== 'scheduled') throw new Error(`expected a retry, got ${state.status}`);
      const retryInMs = Date.parse(state.dueAt) - NOW_MS;
      // Equal jitter over RETRY_BASE_DELAY_MS: at least half of it, at most all of it.
      expect(retryInMs).toBeGreaterThanOrEqual(h.config.retryBaseDelayMs / 2);
      expect(retryInMs).toBeLessThanOrEqual(h.config.retryBaseDelayMs);
    });

    it('does not spend an attempt on an unreachable relay, and opens the circuit after enough in a row', async () => {
      const unreachable = refuse({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' });
      const emailIds: string[] = [];
      for (let n = 0; n < RELAY_CIRCUIT.failureThreshold; n += 1) {
        emailIds.push(await h.schedule());
        h.transport.answerNext(unreachable);
      }
      h.transport.relayAnswersProbes = false;
      for (const emailId of emailIds) {
        expect(h.circuit.isOpen).toBe(false);
        expect(await h.sender.send(emailId, 0, `job-${emailId}`)).toEqual({
          kind: 'failed',
          failureKind: 'relay-unavailable',
        });
      }
      expect(h.circuit.isOpen).toBe(true);
      expect(h.gate.isClosedBy('relay')).toBe(true);
      const failed = (await h.history(emailIds[0] ?? '')).at(-1);
      expect(failed).toMatchObject({
        type: 'EmailFailed',
        data: {
          countsAsAttempt: false,
          final: false,
          retryAt: at(NOW_MS + RELAY_CIRCUIT.initialBackoffMs),
        },
      });
    });

    it('leaves an attempt whose final dot got no reply to its lease check: in doubt, nothing recorded', async () => {
      const emailId = await h.schedule();
      h.transport.answerNext(() => Promise.reject(new UnansweredSendError(new Error('ETIMEDOUT'))));
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({ kind: 'unanswered' });
      expect((await h.history(emailId)).map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailSendAttempted',
      ]);
    });

    it('loses its outcome, without writing it, when the attempt was resolved while it sent', async () => {
      const emailId = await h.schedule();
      // The worker stalled mid-send past its lease, and its job lock lapsed: another resolved the attempt.
      h.transport.answerNext(async () => {
        h.clock.atMs = NOW_MS + h.config.workerLeaseMs + 1;
        expect(await h.sender.checkLease(emailId, 1)).toEqual({
          kind: 'resolved',
          resolution: 'resend',
        });
        return '250 2.0.0 Ok: late';
      });
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({ kind: 'outcome-lost' });
      expect((await h.history(emailId)).map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailSendAttempted',
        'EmailSendInDoubt',
      ]);
    });
  });

  describe('the email’s own gate, asked before the rate limits and the claim', () => {
    it('expires an email found past its deadline, sending nothing', async () => {
      const emailId = await h.schedule(NOW_MS, 3, { expiresAt: at(NOW_MS + 1_000) });
      h.clock.atMs = NOW_MS + 1_000;
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'expired',
        reason: 'deadline-passed',
      });
      expect(h.transport.offered).toEqual([]);
      expect((await h.history(emailId)).at(-1)).toEqual({
        type: 'EmailExpired',
        data: {
          expiredAt: at(NOW_MS + 1_000),
          expiresAt: at(NOW_MS + 1_000),
          reason: 'deadline-passed',
        },
      });
    });

    it('defers an email found outside its delivery window to the next opening, saying why', async () => {
      // Open 09:00–09:01 UTC every day: NOW_MS is 09:00, two minutes later it is closed until tomorrow.
      const deliveryWindow = {
        timeZone: 'UTC',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        start: '09:00',
        end: '09:01',
      };
      const emailId = await h.schedule(NOW_MS, 3, { deliveryWindow });
      h.clock.atMs = NOW_MS + 120_000;
      const tomorrow = NOW_MS + 86_400_000;
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'deferred',
        untilMs: tomorrow,
        limit: 'delivery-window',
      });
      expect(h.transport.offered).toEqual([]);
      expect(await h.state(emailId)).toMatchObject({
        status: 'scheduled',
        dueAt: at(tomorrow),
        deferral: { limit: 'delivery-window', until: at(tomorrow) },
      });
    });

    it('gives the final dot no later than the deadline: an attempt claimed just before it is not sent after', async () => {
      const emailId = await h.schedule(NOW_MS, 3, { expiresAt: at(NOW_MS + 500) });
      const before = performance.now();
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({ kind: 'sent' });
      const after = performance.now();
      const [deadline] = h.transport.deadlines;
      expect(deadline?.finalDotBy).toBeGreaterThanOrEqual(before + 500);
      expect(deadline?.finalDotBy).toBeLessThanOrEqual(after + 500);
    });

    it("a stop at the email's own deadline tells the circuit nothing about the relay, and expires it as passed", async () => {
      // The relay is healthy; each attempt was claimed just before its email's deadline, and the transport
      // stopped it there (ELEASE) — as many in a row as open the circuit when the relay is to blame.
      for (let n = 0; n < RELAY_CIRCUIT.failureThreshold; n += 1) {
        h.clock.atMs = NOW_MS;
        const emailId = await h.schedule(NOW_MS, 3, { expiresAt: at(NOW_MS + 500) });
        h.transport.answerNext(() => {
          h.clock.atMs = NOW_MS + 500;
          return Promise.reject(
            Object.assign(new Error('no final dot after the deadline'), { code: 'ELEASE' }),
          );
        });
        expect(await h.sender.send(emailId, 0, `job-${n}`)).toEqual({
          kind: 'expired',
          reason: 'deadline-passed',
        });
      }
      expect(h.circuit.isOpen).toBe(false);
    });

    it('expires a failure whose retry would come past the deadline', async () => {
      const emailId = await h.schedule(NOW_MS, 3, { expiresAt: at(NOW_MS + 1_000) });
      h.transport.answerNext(refuse({ responseCode: 451, message: '451 4.7.1 greylisted' }));
      expect(await h.sender.send(emailId, 0, 'job-1')).toEqual({
        kind: 'expired',
        reason: 'retry-after-deadline',
      });
      expect((await h.history(emailId)).map((e) => e.type).slice(-2)).toEqual([
        'EmailFailed',
        'EmailExpired',
      ]);
    });

    it('ends a paused email expired at its deadline, without a resume', async () => {
      const expiresAtMs = NOW_MS + 60_000;
      const emailId = await h.schedule(NOW_MS, 3, { expiresAt: at(expiresAtMs) });
      await h.decide(emailId, { type: 'PauseEmail', data: { now: at(NOW_MS) } });
      expect(await h.sender.send(emailId, 1, 'job-1')).toEqual({
        kind: 'early',
        dueAtMs: expiresAtMs,
      });
      h.clock.atMs = expiresAtMs;
      expect(await h.sender.send(emailId, 1, 'job-1')).toEqual({
        kind: 'expired',
        reason: 'deadline-passed',
      });
      expect(await h.state(emailId)).toMatchObject({ status: 'expired' });
      expect(h.transport.offered).toEqual([]);
    });

    it('leaves a paused email without a deadline alone, and a resumed one to its new job', async () => {
      const emailId = await h.schedule(NOW_MS, 3);
      await h.decide(emailId, { type: 'PauseEmail', data: { now: at(NOW_MS) } });
      expect(await h.sender.send(emailId, 1, 'job-1')).toEqual({ kind: 'stale' });
      await h.decide(emailId, { type: 'ResumeEmail', data: { now: at(NOW_MS) } });
      expect(await h.sender.send(emailId, 1, 'job-1')).toEqual({ kind: 'stale' });
      expect(await h.sender.send(emailId, 2, 'job-2')).toEqual({ kind: 'sent' });
    });
  });

  describe('checkLease', () => {
    let emailId: string;
    const leaseUntilMs = (): number => NOW_MS + h.config.workerLeaseMs;

    beforeEach(async () => {
      emailId = await h.schedule();
      h.transport.answerNext(() => Promise.reject(new UnansweredSendError(new Error('reset'))));
      await h.sender.send(emailId, 0, 'job-1');
    });

    it('waits for the lease to run out', async () => {
      h.clock.atMs = leaseUntilMs() - 1;
      expect(await h.sender.checkLease(emailId, 1)).toEqual({
        kind: 'early',
        dueAtMs: leaseUntilMs(),
      });
    });

    it('leaves the attempt alone while its claimer still holds the job lock, and looks again shortly', async () => {
      h.clock.atMs = leaseUntilMs() + 5_000;
      h.locks.held.add('job-1');
      expect(await h.sender.checkLease(emailId, 1)).toEqual({
        kind: 'early',
        dueAtMs: h.clock.atMs + LIVE_CLAIMER_RECHECK_MS,
      });
      expect((await h.state(emailId)).status).toBe('attempting');
    });

    it('resolves the attempt in doubt once its claimer is gone: resent under the default policy', async () => {
      h.clock.atMs = leaseUntilMs() + 5_000;
      expect(await h.sender.checkLease(emailId, 1)).toEqual({
        kind: 'resolved',
        resolution: 'resend',
      });
      expect((await h.history(emailId)).at(-1)).toMatchObject({
        type: 'EmailSendInDoubt',
        data: { resolution: 'resend', countsAsAttempt: false, detectedAt: at(h.clock.atMs) },
      });
      expect((await h.state(emailId)).status).toBe('scheduled');
    });

    it('is stale once the attempt has an outcome or another revision', async () => {
      h.clock.atMs = leaseUntilMs() + 5_000;
      expect(await h.sender.checkLease(emailId, 0)).toEqual({ kind: 'stale' });
      await h.sender.checkLease(emailId, 1);
      expect(await h.sender.checkLease(emailId, 1)).toEqual({ kind: 'stale' });
    });
  });
});
