import { WEBHOOK_EVENT_TYPES } from '@app/webhooks';
import {
  ALL_EVENTS,
  WEBHOOK_EVENTS,
  canRetry,
  describeEvents,
  endpointState,
  formatPayload,
  plainExcerpt,
  replayRange,
  toggleEvent,
} from '../src/webhooks';

describe('the Webhooks page', () => {
  it('offers exactly the event types the dispatcher sends, in their order', () => {
    expect(WEBHOOK_EVENTS.map((event) => event.type)).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it('lets "all" stand alone and keeps the chosen types in the list’s order', () => {
    expect(toggleEvent([], 'email.failed', true)).toEqual(['email.failed']);
    expect(toggleEvent(['email.failed'], 'email.sent', true)).toEqual([
      'email.sent',
      'email.failed',
    ]);
    expect(toggleEvent(['email.sent', 'email.failed'], ALL_EVENTS, true)).toEqual(['*']);
    expect(toggleEvent(['*'], ALL_EVENTS, false)).toEqual([]);
    expect(toggleEvent(['*'], 'email.sent', true)).toEqual(['email.sent']);
    expect(toggleEvent(['email.sent', 'email.failed'], 'email.sent', false)).toEqual([
      'email.failed',
    ]);
    expect(describeEvents(['*'])).toBe('all events (*)');
    expect(describeEvents(['email.sent', 'email.failed'])).toBe('email.sent, email.failed');
  });

  it('tells a disabled endpoint from a failing one', () => {
    expect(endpointState({ enabled: true, failingSince: null })).toEqual({
      label: 'enabled',
      tone: 'good',
    });
    expect(endpointState({ enabled: true, failingSince: '2030-01-01T00:00:00Z' }).label).toBe(
      'failing',
    );
    expect(endpointState({ enabled: false, failingSince: '2030-01-01T00:00:00Z' }).label).toBe(
      'disabled',
    );
  });

  it('offers a retry for what is not delivered', () => {
    expect(canRetry({ status: 'failed' })).toBe(true);
    expect(canRetry({ status: 'pending' })).toBe(true);
    expect(canRetry({ status: 'delivered' })).toBe(false);
  });

  it('shows a receiver’s answer as visible text: escapes, NULs and direction marks spelled out', () => {
    expect(plainExcerpt('<b>ok</b>\r\n\tdone')).toBe('<b>ok</b>\r\n\tdone');
    expect(plainExcerpt('\u001b[31mred\u0000')).toBe('\\u{1b}[31mred\\u{0}');
    expect(plainExcerpt('invoice\u202Etxt.exe')).toBe('invoice\\u{202e}txt.exe');
    expect(plainExcerpt(null)).toBe('');
  });

  it('caps a receiver’s answer, counting characters, not UTF-16 units', () => {
    expect(plainExcerpt('x'.repeat(5000))).toBe(`${'x'.repeat(1024)}…`);
    expect(plainExcerpt('😀'.repeat(3), 2)).toBe('😀😀…');
  });

  it('indents the payload when it is JSON, as text or parsed', () => {
    const payload = { type: 'webhook.test', id: 'msg_1', timestamp: 't', data: {} };
    const indented = JSON.stringify(payload, null, 2);
    expect(formatPayload(JSON.stringify(payload))).toBe(indented);
    expect(formatPayload(payload)).toBe(indented);
    expect(formatPayload('not json')).toBe('not json');
  });

  it('checks the replay range before asking the api', () => {
    const since = replayRange('2030-01-01T09:00:00', '');
    expect(since).toEqual({ since: new Date('2030-01-01T09:00:00').toISOString() });
    expect(replayRange('2030-01-01T09:00', '2030-01-01T10:00')).toEqual({
      since: new Date('2030-01-01T09:00').toISOString(),
      until: new Date('2030-01-01T10:00').toISOString(),
    });
    expect(replayRange('', '')).toEqual({
      issues: [{ field: 'since', reason: 'must be a date and time' }],
    });
    expect(replayRange('2030-01-01T10:00', '2030-01-01T09:00')).toEqual({
      issues: [{ field: 'until', reason: 'must not be before since' }],
    });
  });
});
