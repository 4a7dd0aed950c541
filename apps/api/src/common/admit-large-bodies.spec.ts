import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { LARGE_BODIES_IN_FLIGHT, admitLargeBodies, type HttpResponse } from './configure-http';

class Request extends EventEmitter {
  resumed = false;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {
    super();
  }

  resume(): void {
    this.resumed = true;
  }
}

class Response extends EventEmitter implements HttpResponse {
  statusCode = 0;
  readonly fields: Record<string, string> = {};
  body: unknown;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  set(field: string, value: string): this {
    this.fields[field] = value;
    return this;
  }

  json(body: unknown): unknown {
    this.body = body;
    return this;
  }
}

const TWO_MB = String(2 * 1024 * 1024);

describe('admitLargeBodies', () => {
  it('reads two large bodies at a time; the next is drained unread and told to come back (503)', () => {
    const admit = admitLargeBodies();
    const arrive = (method: string, url: string, length?: string) => {
      const request = new Request(
        method,
        url,
        length === undefined ? {} : { 'content-length': length },
      );
      const response = new Response();
      let admitted = false;
      admit(request as unknown as IncomingMessage, response, () => {
        admitted = true;
      });
      return { request, response, admitted };
    };
    const held = [arrive('PATCH', '/v1/emails/e1', TWO_MB), arrive('POST', '/v1/emails', TWO_MB)];
    expect(held.map((h) => h.admitted)).toEqual([true, true]);
    expect(LARGE_BODIES_IN_FLIGHT).toBe(2);

    // Small bodies and other routes are never held up.
    expect(arrive('POST', '/v1/emails', '1000').admitted).toBe(true);
    expect(arrive('POST', '/v1/webhooks', TWO_MB).admitted).toBe(true);

    const third = arrive('POST', '/v1/emails/batch?x=1', TWO_MB);
    const chunked = arrive('POST', '/v1/emails');
    for (const turnedAway of [third, chunked]) {
      expect(turnedAway.admitted).toBe(false);
      expect(turnedAway.request.resumed).toBe(true);
      expect(turnedAway.response.statusCode).toBe(0); // answered once the body has gone by
      turnedAway.request.emit('end');
      expect(turnedAway.response.statusCode).toBe(503);
      expect(turnedAway.response.fields['Retry-After']).toBe('1');
    }

    held[0]?.response.emit('close');
    expect(arrive('POST', '/v1/emails', TWO_MB).admitted).toBe(true);
    expect(arrive('POST', '/v1/emails', TWO_MB).admitted).toBe(false);
  });
});
