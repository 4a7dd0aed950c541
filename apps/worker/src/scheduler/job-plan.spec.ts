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
  ({ type: 'EmailScheduled', data: { sendAt } }) as unknown as EmailEvent;
const attempted = (leaseUntil: string): EmailEvent =>
  ({ type: 'EmailSendAttempted', data: { leaseUntil } }) as unknown as EmailEvent;
const sent: EmailEvent = { type: 'EmailSent', data: {} } as unknown as EmailEvent;
const failed = (final: boolean, retryAt?: string): EmailEvent =>
  ({ type: 'EmailFailed', data: { final, retryAt } }) as unknown as EmailEvent;

const T1 = '2030-01-01T00:00:00.000Z';
const T2 = '2030-01-01T00:01:00.000Z';

describe('planJobs', () => {
  it('turns a due event into one send job whose id is derived from (email, revision)', () => {
    expect(planJobs([recorded(A, 0, scheduled(T1))])).toEqual({
      add: [
        {
          name: 'send',
          jobId: `send-${A}-0`,
          data: { emailId: A, revision: 0 },
          runAt: Date.parse(T1),
        },
      ],
      remove: [],
    });
  });

  it('adds a lease check for a claim, leaving the claiming send job to finish by itself', () => {
    expect(planJobs([recorded(A, 1, attempted(T2))])).toEqual({
      add: [
        {
          name: 'lease-check',
          jobId: `lease-${A}-1`,
          data: { emailId: A, revision: 1 },
          runAt: Date.parse(T2),
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
    expect(planJobs([recorded(B, 1, rescheduled)])).toEqual({
      add: [expect.objectContaining({ jobId: `send-${B}-1`, runAt: Date.parse(T2) })],
      remove: [`send-${B}-0`],
    });
  });

  it('leaves no job for an email whose whole life is in the batch, and keeps other emails apart', () => {
    const plan = planJobs([
      recorded(A, 0, scheduled(T1)),
      recorded(B, 0, scheduled(T2)),
      recorded(A, 1, attempted(T2)),
      recorded(A, 2, failed(false, T2)),
      recorded(A, 3, attempted(T2)),
      recorded(A, 4, sent),
    ]);
    expect(plan).toEqual({ add: [expect.objectContaining({ jobId: `send-${B}-0` })], remove: [] });
  });

  it('schedules a retry for a non-final failure and nothing for a final one', () => {
    expect(planJobs([recorded(A, 2, failed(false, T2))]).add).toEqual([
      expect.objectContaining({ jobId: `send-${A}-2`, runAt: Date.parse(T2) }),
    ]);
    expect(planJobs([recorded(B, 2, failed(true))]).add).toEqual([]);
  });

  it('ignores streams of other categories', () => {
    const other = { ...recorded(A, 0, scheduled(T1)), streamName: `emailx-${A}` };
    expect(planJobs([other])).toEqual({ add: [], remove: [] });
  });
});
