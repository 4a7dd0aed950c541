import type { WebhookMessage } from '@app/webhooks';
import { cutAtCap } from './webhook-replay';

const T0 = Date.UTC(2030, 0, 1, 9);

/** A message recorded `offsetMs` after T0, `n`th in the store. */
function message(offsetMs: number, n: number): WebhookMessage {
  const recordedAt = new Date(T0 + offsetMs);
  return {
    tenantId: 'acme',
    emailId: `email-${n}`,
    type: 'email.sent',
    event: {
      id: `event-${n}`,
      streamName: `email-${n}`,
      revision: 0,
      type: 'EmailSent',
      data: {},
      metadata: {},
      recordedAt,
      position: { commit: BigInt(n), prepare: BigInt(n) },
    },
    payload: { type: 'email.sent', id: `msg_${n}`, timestamp: recordedAt.toISOString(), data: {} },
  };
}

const ids = (messages: readonly WebhookMessage[]): string[] => messages.map((m) => m.payload.id);

describe('cutAtCap: what one replay call queues', () => {
  it('takes everything up to the cap, with no next call', () => {
    const sorted = [message(0, 1), message(1, 2), message(2, 3)];
    expect(cutAtCap(sorted, 3)).toEqual({ taken: sorted });
    expect(cutAtCap([], 3)).toEqual({ taken: [] });
  });

  it("past the cap, stops before the left-over message's instant, where the next call starts", () => {
    // Cap 3: the 4th message shares its instant (5 ms) with the 3rd, so both go to the next call.
    const sorted = [message(0, 1), message(1, 2), message(5, 3), message(5, 4), message(9, 5)];
    const { taken, nextSince } = cutAtCap(sorted, 3);
    expect(ids(taken)).toEqual(['msg_1', 'msg_2']);
    expect(nextSince).toEqual(new Date(T0 + 5));
    // The next call, from nextSince (inclusive), gets the rest: every message once.
    const rest = sorted.filter((m) => m.event.recordedAt >= (nextSince as Date));
    expect([...ids(taken), ...ids(cutAtCap(rest, 3).taken)]).toEqual(ids(sorted));
  });

  it('takes one crowded instant whole rather than never getting past it', () => {
    const sorted = [message(0, 1), message(0, 2), message(0, 3), message(1, 4)];
    const { taken, nextSince } = cutAtCap(sorted, 2);
    expect(ids(taken)).toEqual(['msg_1', 'msg_2', 'msg_3']);
    expect(nextSince).toEqual(new Date(T0 + 1));
  });
});
