import { resolveSendAt } from './send-at';

const NOW = '2030-01-01T09:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;
const HORIZON = 365 * DAY;

describe('resolveSendAt', () => {
  it('sends now when nothing is asked', () => {
    expect(resolveSendAt(undefined, NOW_MS, HORIZON)).toEqual({
      ok: true,
      requestedSendAt: NOW,
      sendAt: NOW,
    });
  });

  it('keeps a future time, normalised to UTC', () => {
    expect(resolveSendAt('2030-01-01T12:00:00+02:00', NOW_MS, HORIZON)).toEqual({
      ok: true,
      requestedSendAt: '2030-01-01T10:00:00.000Z',
      sendAt: '2030-01-01T10:00:00.000Z',
    });
  });

  it('sends a past time now, remembering what was asked', () => {
    expect(resolveSendAt('2029-12-31T09:00:00Z', NOW_MS, HORIZON)).toEqual({
      ok: true,
      requestedSendAt: '2029-12-31T09:00:00.000Z',
      sendAt: NOW,
    });
  });

  it('treats exactly now as now', () => {
    expect(resolveSendAt(NOW, NOW_MS, HORIZON)).toEqual({
      ok: true,
      requestedSendAt: NOW,
      sendAt: NOW,
    });
  });

  it('accepts a time exactly at the horizon', () => {
    const atHorizon = new Date(NOW_MS + HORIZON).toISOString();
    expect(resolveSendAt(atHorizon, NOW_MS, HORIZON)).toMatchObject({
      ok: true,
      sendAt: atHorizon,
    });
  });

  it('rejects a time one millisecond past the horizon, stating the horizon', () => {
    const beyond = new Date(NOW_MS + HORIZON + 1).toISOString();
    expect(resolveSendAt(beyond, NOW_MS, HORIZON)).toEqual({
      ok: false,
      reason: 'must be at most 365 days from now',
    });
  });

  it('states a horizon that is not whole days in milliseconds', () => {
    expect(resolveSendAt('2030-01-01T10:00:00Z', NOW_MS, 90_000)).toEqual({
      ok: false,
      reason: 'must be at most 90000 ms from now',
    });
  });

  it.each([
    ['no timezone', '2030-01-02T10:00:00'],
    ['an impossible date', '2030-02-30T10:00:00Z'],
    ['free text', 'in an hour'],
    ['a number', 1_893_488_400_000],
    ['null', null],
    ['an empty string', ''],
  ])('rejects %s', (_, input) => {
    expect(resolveSendAt(input, NOW_MS, HORIZON)).toEqual({
      ok: false,
      reason: 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)',
    });
  });
});
