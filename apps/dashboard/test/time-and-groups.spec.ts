import { scheduleRequest } from '../src/pages/compose/schedule-request';
import {
  batchActions,
  describeExpiry,
  describeReport,
  emailActions,
  pauseReason,
  skippedByReason,
} from '../src/groups';
import {
  blankSchedule,
  describeScheduleEvent,
  scheduleActions,
  scheduleCreateRequest,
} from '../src/schedules';
import type { BatchView, GroupActionReport } from '../src/types';
import { defaultWindow } from '../src/zones';

const compose = {
  from: 'Ada <ada@example.com>',
  to: 'bob@example.com, carol@example.com',
  cc: '',
  bcc: '',
  replyTo: '',
  subject: 'Hello',
  text: 'Hi',
  html: '',
  sendAt: '2027-03-28T02:30',
  timeZone: 'Europe/Paris',
  expiresAt: '',
  tags: '',
  maxAttempts: '',
};

const NO_PARTS = { headers: [], metadata: [], attachments: [] };

describe('the compose request', () => {
  it('sends sendAt as the wall-clock time typed, with its zone and no offset', () => {
    expect(scheduleRequest(compose, defaultWindow(), NO_PARTS)).toEqual({
      from: 'Ada <ada@example.com>',
      to: ['bob@example.com', 'carol@example.com'],
      subject: 'Hello',
      text: 'Hi',
      sendAt: '2027-03-28T02:30',
      timeZone: 'Europe/Paris',
      cc: undefined,
      bcc: undefined,
      html: undefined,
      deliveryWindow: undefined,
      expiresAt: undefined,
      tags: undefined,
      maxAttempts: undefined,
    });
  });

  it('adds the window (in the email’s zone unless another is picked) and expiresAt in the same zone', () => {
    const body = scheduleRequest(
      { ...compose, expiresAt: '2027-03-28T18:00', tags: 'a, ,b', maxAttempts: '3' },
      { enabled: true, timeZone: '', days: ['sat', 'sun'], start: '22:00', end: '06:00' },
      NO_PARTS,
    );
    expect(body).toMatchObject({
      deliveryWindow: {
        timeZone: 'Europe/Paris',
        days: ['sat', 'sun'],
        start: '22:00',
        end: '06:00',
      },
      expiresAt: '2027-03-28T18:00',
      timeZone: 'Europe/Paris',
      tags: ['a', 'b'],
      maxAttempts: 3,
    });
  });
});

describe('actions on emails and batches', () => {
  it('offers pause, resume and retry only where the status allows them', () => {
    expect(emailActions('scheduled')).toEqual(['pause']);
    expect(emailActions('paused')).toEqual(['resume']);
    expect(emailActions('failed')).toEqual(['retry']);
    for (const status of ['attempting', 'sent', 'cancelled', 'expired'] as const) {
      expect(emailActions(status)).toEqual([]);
    }
  });

  it('offers the batch actions some member can still take', () => {
    const none: BatchView['counts'] = {
      scheduled: 0,
      paused: 0,
      attempting: 0,
      sent: 0,
      failed: 0,
      cancelled: 0,
      expired: 0,
      pending: 0,
    };
    expect(batchActions({ ...none, sent: 5, cancelled: 2 })).toEqual([]);
    expect(batchActions({ ...none, pending: 1 })).toEqual(['cancel', 'pause']);
    expect(batchActions({ ...none, paused: 3, failed: 1 })).toEqual(['cancel', 'resume', 'retry']);
  });

  it('reports what an action did and groups the skipped emails by why', () => {
    const report: GroupActionReport = {
      batchId: 'b',
      action: 'pause',
      total: 10_000,
      done: 9_997,
      skipped: 3,
      results: [
        { emailId: 'e1', outcome: 'done', status: 'paused' },
        {
          emailId: 'e2',
          outcome: 'skipped',
          status: 'sent',
          reason: 'the email has already been sent',
        },
        { emailId: 'e3', outcome: 'skipped', status: 'attempting' },
        {
          emailId: 'e4',
          outcome: 'skipped',
          status: 'sent',
          reason: 'the email has already been sent',
        },
      ],
    };
    expect(describeReport(report)).toBe('Paused 9,997 of 10,000 emails; 3 skipped.');
    expect(describeReport({ ...report, truncated: true })).toMatch(/Only the first 10,000/);
    expect(
      skippedByReason(report.results).map(({ reason, emails }) => [reason, emails.length]),
    ).toEqual([
      ['the email has already been sent', 2],
      ['the email is attempting', 1],
    ]);
  });

  it('says why an email expired, and a pause’s reason from its history', () => {
    expect(describeExpiry('window-after-deadline')).toMatch(/delivery window/);
    expect(describeExpiry('some-new-reason')).toBe('some-new-reason');
    const event = (revision: number, type: string, data: Record<string, unknown>) => ({
      revision,
      type,
      recordedAt: '2027-01-01T00:00:00Z',
      data,
    });
    expect(
      pauseReason([
        event(0, 'EmailScheduled', {}),
        event(1, 'EmailPaused', { reason: 'first' }),
        event(2, 'EmailResumed', {}),
        event(3, 'EmailPaused', { reason: 'legal review' }),
      ]),
    ).toBe('legal review');
  });
});

describe('the schedule form', () => {
  it('sends the rule under its kind, startAt as wall-clock time and until as the instant it means there', () => {
    const draft = {
      ...blankSchedule(Date.parse('2027-01-01T00:00:00Z')),
      ruleKind: 'cron' as const,
      rule: ' 0 9 * * 1-5 ',
      timeZone: 'America/New_York',
      startAt: '2027-03-14T02:30',
      until: '2027-11-07T01:30',
      catchUp: 'all' as const,
      from: 'ada@example.com',
      to: 'bob@example.com',
      subject: 'Daily',
      text: 'Hi',
      expiresAfter: 'PT2H',
    };
    expect(scheduleCreateRequest(draft, defaultWindow())).toEqual({
      cron: '0 9 * * 1-5',
      timeZone: 'America/New_York',
      startAt: '2027-03-14T02:30',
      // 01:30 happens twice that morning: the earlier, EDT.
      until: '2027-11-07T05:30:00.000Z',
      catchUp: 'all',
      email: {
        from: 'ada@example.com',
        to: ['bob@example.com'],
        cc: undefined,
        bcc: undefined,
        subject: 'Daily',
        text: 'Hi',
        html: undefined,
        tags: undefined,
        maxAttempts: undefined,
        deliveryWindow: undefined,
        expiresAfter: 'PT2H',
      },
    });
  });

  it('offers pause or resume, and delete, by status; tells skipped occurrences apart', () => {
    expect(scheduleActions('active')).toEqual(['pause', 'delete']);
    expect(scheduleActions('paused')).toEqual(['resume', 'delete']);
    expect(scheduleActions('deleted')).toEqual([]);
    const entry = describeScheduleEvent(
      {
        revision: 4,
        type: 'OccurrencesSkipped',
        recordedAt: '2027-01-08T10:00:00Z',
        data: {
          from: '2027-01-04T08:00:00Z',
          to: '2027-01-06T08:00:00Z',
          count: 3,
          reason: 'catch-up skip',
        },
      },
      'Europe/Paris',
    );
    expect(entry.title).toBe('3 occurrence(s) skipped');
    expect(entry.facts).toEqual([
      ['why', 'catch-up skip'],
      ['from', '4 Jan 2027, 09:00:00 CET'],
      ['to', '6 Jan 2027, 09:00:00 CET'],
    ]);
  });
});
