import { createHmac } from 'node:crypto';
import { newWebhookSecret, signedHeaders } from './signing';

/**
 * The Standard Webhooks signature, written from the spec (standardwebhooks.com) rather than with the package
 * the code uses: base64 HMAC-SHA256, keyed with the base64-decoded part of the secret after 'whsec_', over
 * "<webhook-id>.<webhook-timestamp>.<body>".
 */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/** The `v1,<sig>` entries of a webhook-signature header. */
function entries(header: string | undefined): string[] {
  return (header ?? '').split(' ');
}

const at = new Date('2026-12-06T18:30:45.678Z');
const body = JSON.stringify({
  type: 'email.sent',
  id: 'msg_1',
  data: { emailId: 'e1', subject: 'Grüße ✓' },
});

describe('newWebhookSecret', () => {
  it("is 'whsec_' and the base64 of 32 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });

  it('is new every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newWebhookSecret()));
    expect(secrets.size).toBe(50);
  });
});

describe('signedHeaders', () => {
  it('gives the Standard Webhooks headers, signed as the spec says', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], 'msg_0123abcd', at, body);

    expect(headers).toEqual({
      'webhook-id': 'msg_0123abcd',
      'webhook-timestamp': '1796581845',
      'webhook-signature': expect.any(String) as unknown,
      'content-type': 'application/json',
    });
    expect(Number(headers['webhook-timestamp'])).toBe(Math.floor(at.getTime() / 1000));
    expect(entries(headers['webhook-signature'])).toEqual([
      `v1,${expectedSignature(secret, 'msg_0123abcd', '1796581845', body)}`,
    ]);
  });

  it("matches the Standard Webhooks spec's test vector", () => {
    const headers = signedHeaders(
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret during a rotation overlap, one valid entry each', () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders([next, previous], 'msg_rotating', at, body);
    const timestamp = headers['webhook-timestamp'] ?? '';

    const signatures = entries(headers['webhook-signature']);
    expect(signatures).toEqual([
      `v1,${expectedSignature(next, 'msg_rotating', timestamp, body)}`,
      `v1,${expectedSignature(previous, 'msg_rotating', timestamp, body)}`,
    ]);
    expect(signatures[0]).not.toBe(signatures[1]);
  });

  it('binds the id, the timestamp and every byte of the body', () => {
    const secret = newWebhookSecret();
    const signature = signedHeaders([secret], 'msg_a', at, body)['webhook-signature'];
    expect(signedHeaders([secret], 'msg_b', at, body)['webhook-signature']).not.toBe(signature);
    expect(
      signedHeaders([secret], 'msg_a', new Date(at.getTime() + 1000), body)['webhook-signature'],
    ).not.toBe(signature);
    expect(signedHeaders([secret], 'msg_a', at, `${body} `)['webhook-signature']).not.toBe(
      signature,
    );
    expect(signedHeaders([newWebhookSecret()], 'msg_a', at, body)['webhook-signature']).not.toBe(
      signature,
    );
  });

  it('refuses to sign with no secret', () => {
    expect(() => signedHeaders([], 'msg_a', at, body)).toThrow('at least one secret');
  });
});
