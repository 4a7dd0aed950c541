import type { EmailEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { planJobs } from './job-plan';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
let position = 0n;

function recorded(emailId: string, revision: number, event: EmailEvent): RecordedEvent {
  position += 1n;
  return {
    id: `${emailId}-${revision}`,
    streamName: `email-${emailId}`,
    revision,
    type: event.type,
    data: { ...event.data },
    metadata: {},
    recordedAt: new Date(0),
    position: { commit: position, prepare: position },
  };
}

const scheduled = (sendAt: string): EmailEvent =>
  ({ type: 'EmailScheduled', data: { sendAt, tenantId: 'acme' } }) as unknown as EmailEvent;
const attempted = (leaseUntil: string): EmailEvent =>
  ({ type: 'EmailSendAttempted', data: { leaseUntil } }) as unknown as EmailEvent;
const sent: EmailEvent = { type: 'EmailSent', data: {} } as unknown as EmailEvent;
const failed = (final: boolean, retryAt?: string): EmailEvent =>
  ({ type: 'EmailFailed', data: { final, retryAt } }) as unknown as EmailEvent;

const T1 = '2030-01-01T00:00:00.000Z';
const T2 = '2030-01-01T00:01:00.000Z';

/** The jobs a plan adds. */
const jobs = (batch: RecordedEvent[]) => planJobs(batch).due.flatMap((entry) => entry.job ?? []);

describe('planJobs', () => {
  it('turns a due event into one send job whose id is derived from (email, revision)', () => {
    expect(planJobs([recorded(A, 0, scheduled(T1))])).toEqual({
      due: [
        {
          emailId: A,
          revision: 0,
          tenantId: 'acme',
          job: {
            name: 'send',
            jobId: `send-${A}-0`,
            data: { emailId: A, revision: 0 },
            runAt: Date.parse(T1),
          },
        },
      ],
      remove: [],
    });
  });

  it('adds a lease check for a claim, leaving the claiming send job to finish by itself', () => {
    expect(planJobs([recorded(A, 1, attempted(T2))])).toEqual({
      due: [
        {
          emailId: A,
          revision: 1,
          tenantId: undefined,
          job: {
            name: 'lease-check',
            jobId: `lease-${A}-1`,
            data: { emailId: A, revision: 1 },
            runAt: Date.parse(T2),
          },
        },
      ],
      remove: [],
    });
  });

  it('removes the lease check of an earlier batch once the attempt has an outcome', () => {
    expect(planJobs([recorded(A, 2, sent)]).remove).toEqual([`lease-${A}-1`]);
    expect(planJobs([recorded(A, 2, failed(false, T2))]).remove).toEqual([`lease-${A}-1`]);
  });

  it('removes the send job of an earlier batch when a reschedule or cancel supersedes it', () => {
    const cancelled = { type: 'EmailCancelled', data: {} } as unknown as EmailEvent;
    const rescheduled = { type: 'EmailRescheduled', data: { sendAt: T2 } } as unknown as EmailEvent;
    expect(planJobs([recorded(A, 1, cancelled)]).remove).toEqual([`send-${A}-0`]);
    const plan = planJobs([recorded(B, 1, rescheduled)]);
    expect(plan.due.map((entry) => entry.job)).toEqual([
      expect.objectContaining({ jobId: `send-${B}-1`, runAt: Date.parse(T2) }),
    ]);
    expect(plan.remove).toEqual([`send-${B}-0`]);
  });

  it('leaves no job for an email whose whole life is in the batch, and keeps other emails apart', () => {
    const batch = [
      recorded(A, 0, scheduled(T1)),
      recorded(B, 0, scheduled(T2)),
      recorded(A, 1, attempted(T2)),
      recorded(A, 2, failed(false, T2)),
      recorded(A, 3, attempted(T2)),
      recorded(A, 4, sent),
    ];
    expect(planJobs(batch)).toEqual({
      due: [
        { emailId: A, revision: 4, tenantId: 'acme', job: undefined },
        expect.objectContaining({ emailId: B, revision: 0, tenantId: 'acme' }),
      ],
      remove: [],
    });
    expect(jobs(batch)).toEqual([expect.objectContaining({ jobId: `send-${B}-0` })]);
  });

  it('schedules a retry for a non-final failure and nothing for a final one', () => {
    expect(jobs([recorded(A, 2, failed(false, T2))])).toEqual([
      expect.objectContaining({ jobId: `send-${A}-2`, runAt: Date.parse(T2) }),
    ]);
    expect(jobs([recorded(B, 2, failed(true))])).toEqual([]);
  });

  it('ignores streams of other categories', () => {
    const other = { ...recorded(A, 0, scheduled(T1)), streamName: `emailx-${A}` };
    expect(planJobs([other])).toEqual({ due: [], remove: [] });
  });

  describe('time and groups', () => {
    const paused = (expiresAt?: string): EmailEvent =>
      ({ type: 'EmailPaused', data: { pausedAt: T1, expiresAt } }) as unknown as EmailEvent;
    const resumed = (dueAt: string): EmailEvent =>
      ({ type: 'EmailResumed', data: { resumedAt: dueAt, dueAt } }) as unknown as EmailEvent;
    const expired: EmailEvent = {
      type: 'EmailExpired',
      data: { expiredAt: T2, expiresAt: T2, reason: 'deadline-passed' },
    };

    it('gives a paused email with a deadline a send job at it, so it ends expired without a resume', () => {
      const plan = planJobs([recorded(A, 1, paused(T2))]);
      expect(plan.due.map((entry) => entry.job)).toEqual([
        {
          name: 'send',
          jobId: `send-${A}-1`,
          data: { emailId: A, revision: 1 },
          runAt: Date.parse(T2),
        },
      ]);
      expect(plan.remove).toEqual([`send-${A}-0`]);
    });

    it('gives a paused email without a deadline no job at all', () => {
      const plan = planJobs([recorded(A, 1, paused())]);
      expect(plan.due).toEqual([{ emailId: A, revision: 1, tenantId: undefined, job: undefined }]);
      expect(plan.remove).toEqual([`send-${A}-0`]);
    });

    it('replaces the paused email’s deadline job with a send job at its new due time on resume', () => {
      const plan = planJobs([recorded(A, 2, resumed(T1))]);
      expect(plan.due.map((entry) => entry.job)).toEqual([
        expect.objectContaining({ jobId: `send-${A}-2`, runAt: Date.parse(T1) }),
      ]);
      expect(plan.remove).toEqual([`send-${A}-1`]);
    });

    it('leaves an expired email no job, removing the one it had', () => {
      const plan = planJobs([recorded(A, 3, expired)]);
      expect(plan.due).toEqual([{ emailId: A, revision: 3, tenantId: undefined, job: undefined }]);
      expect(plan.remove).toEqual([`send-${A}-2`]);
    });

    it('plans nothing after a failure whose retry came past the deadline (EmailFailed, EmailExpired)', () => {
      expect(jobs([recorded(A, 2, failed(false, T2)), recorded(A, 3, expired)])).toEqual([]);
    });

    it('sends a window deferral at the opening, and a manual retry at its due time', () => {
      const deferred = {
        type: 'EmailDeferred',
        data: { until: T2, limit: 'delivery-window', deferredAt: T1 },
      } as unknown as EmailEvent;
      const retry = {
        type: 'EmailRetryRequested',
        data: { requestedAt: T1, dueAt: T1, previousAttempts: 1 },
      } as unknown as EmailEvent;
      expect(jobs([recorded(A, 1, deferred)])).toEqual([
        expect.objectContaining({ jobId: `send-${A}-1`, runAt: Date.parse(T2) }),
      ]);
      const plan = planJobs([recorded(B, 3, retry)]);
      expect(plan.due.map((entry) => entry.job)).toEqual([
        expect.objectContaining({ jobId: `send-${B}-3`, runAt: Date.parse(T1) }),
      ]);
      // A failed email had no job waiting.
      expect(plan.remove).toEqual([]);
    });
  });
});
