import { signedHeaders } from '@app/webhooks';
import { verifyStandardWebhook } from './webhook-receiver';

// The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec/).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = '1614265330';
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe("the test receiver's signature check", () => {
  it("verifies the specification's example", () => {
    expect(verifyStandardWebhook(SECRET, ID, TIMESTAMP, BODY, SIGNATURE)).toBe(true);
  });

  it('finds the valid entry among several (a rotation overlap)', () => {
    const other = 'v1,' + Buffer.alloc(32, 1).toString('base64');
    expect(verifyStandardWebhook(SECRET, ID, TIMESTAMP, BODY, `${other} ${SIGNATURE}`)).toBe(true);
  });

  it('refuses another body, id, timestamp, secret or version', () => {
    expect(verifyStandardWebhook(SECRET, ID, TIMESTAMP, `${BODY} `, SIGNATURE)).toBe(false);
    expect(verifyStandardWebhook(SECRET, `${ID}x`, TIMESTAMP, BODY, SIGNATURE)).toBe(false);
    expect(verifyStandardWebhook(SECRET, ID, '1614265331', BODY, SIGNATURE)).toBe(false);
    expect(verifyStandardWebhook(SECRET.replace('_M', '_N'), ID, TIMESTAMP, BODY, SIGNATURE)).toBe(
      false,
    );
    expect(verifyStandardWebhook(SECRET, ID, TIMESTAMP, BODY, SIGNATURE.replace('v1', 'v2'))).toBe(
      false,
    );
    expect(verifyStandardWebhook(SECRET, ID, TIMESTAMP, BODY, '')).toBe(false);
  });

  it('agrees with the signing the dispatcher uses', () => {
    const headers = signedHeaders([SECRET], ID, new Date(Number(TIMESTAMP) * 1000), BODY);
    expect(headers['webhook-signature']).toBe(SIGNATURE);
  });
});
