import type { DeliveryWindow } from '../email-events';
import { sendGate } from './send-gate';

// 3 March 2027 is a Wednesday.
const OFFICE: DeliveryWindow = {
  timeZone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
};
const NOON = Date.parse('2027-03-03T12:00:00Z');
const EVENING = Date.parse('2027-03-03T18:00:00Z');
const NEXT_MORNING = Date.parse('2027-03-04T09:00:00Z');

describe('sendGate', () => {
  it('is open for an email with neither deadline nor window', () => {
    expect(sendGate({}, NOON)).toEqual({ kind: 'open' });
  });

  it('is open before the deadline', () => {
    expect(sendGate({ expiresAt: '2027-03-03T12:00:00.001Z' }, NOON)).toEqual({ kind: 'open' });
  });

  it('expires at the deadline itself: no attempt starts at expiresAt', () => {
    expect(sendGate({ expiresAt: '2027-03-03T12:00:00.000Z' }, NOON)).toEqual({
      kind: 'expire',
      reason: 'deadline-passed',
    });
  });

  it.each(['retry-after-deadline', 'rate-limit-after-deadline'] as const)(
    'names the cause %s and the chance that came too late',
    (cause) => {
      expect(sendGate({ expiresAt: '2027-03-03T11:00:00.000Z' }, NOON, cause)).toEqual({
        kind: 'expire',
        reason: cause,
        nextChanceMs: NOON,
      });
    },
  );

  it('is open inside the window', () => {
    expect(sendGate({ deliveryWindow: OFFICE }, NOON)).toEqual({ kind: 'open' });
  });

  it('waits for the opening when the window is closed', () => {
    expect(sendGate({ deliveryWindow: OFFICE }, EVENING)).toEqual({
      kind: 'window',
      untilMs: NEXT_MORNING,
    });
    expect(
      sendGate({ deliveryWindow: OFFICE, expiresAt: '2027-03-04T09:00:00.001Z' }, EVENING),
    ).toEqual({ kind: 'window', untilMs: NEXT_MORNING });
  });

  it('expires when the window next opens at or after the deadline', () => {
    expect(
      sendGate({ deliveryWindow: OFFICE, expiresAt: '2027-03-04T09:00:00.000Z' }, EVENING),
    ).toEqual({ kind: 'expire', reason: 'window-after-deadline', nextChanceMs: NEXT_MORNING });
  });

  it('puts the deadline before the window: past it, an open window does not matter', () => {
    expect(
      sendGate({ deliveryWindow: OFFICE, expiresAt: '2027-03-03T11:00:00.000Z' }, NOON),
    ).toEqual({ kind: 'expire', reason: 'deadline-passed' });
  });
});
