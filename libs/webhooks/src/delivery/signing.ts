// STUB: helper "delivery" writes the real signing (Standard Webhooks); only newWebhookSecret is needed here.
import { randomBytes } from 'node:crypto';

/** A new endpoint secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Standard Webhooks headers; several secrets (rotation overlap) give space-separated `v1,<sig>` entries. */
export function signedHeaders(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): Record<string, string> {
  void secrets;
  void body;
  throw new Error(`STUB: signedHeaders(${messageId}, ${at.toISOString()}) is helper "delivery"'s`);
}
