import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret, as Standard Webhooks spells them: 'whsec_' + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * Standard Webhooks headers; several secrets (rotation overlap) give space-separated `v1,<sig>` entries.
 *
 * `at` is when this attempt is sent (receivers refuse timestamps more than a few minutes off), while
 * `messageId` stays the same across attempts so receivers deduplicate on it.
 */
export function signedHeaders(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): Record<string, string> {
  if (secrets.length === 0) {
    throw new Error('signedHeaders needs at least one secret');
  }
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign(messageId, at, body))
      .join(' '),
    'content-type': 'application/json',
  };
}
