// Outcome webhooks: endpoints per tenant, the messages derived from email events, their signed delivery
// (docs/WEBHOOKS.md). Shared by the api (endpoints, delivery log, replay) and the dispatcher (fan-out, delivery).
export * from './webhook-messages';
export { WEBHOOKS_MIGRATIONS, WEBHOOKS_SCHEMA } from './webhooks.migrations';
export * from './delivery-queue';
export {
  checkWebhookUrl,
  MAX_WEBHOOK_URL_LENGTH,
  type HostLookup,
  type UrlCheck,
  type UrlCheckOptions,
} from './delivery/address-policy';
export {
  postWebhook,
  WEBHOOK_USER_AGENT,
  type PostOutcome,
  type PostWebhookOptions,
} from './delivery/post-webhook';
export { newWebhookSecret, signedHeaders } from './delivery/signing';
