// Outcome webhooks: endpoints per tenant, the messages derived from email events, their signed delivery
// (docs/WEBHOOKS.md). Shared by the api (endpoints, delivery log, replay) and the dispatcher (fan-out, delivery).
export * from './webhook-messages';
export { WEBHOOKS_MIGRATIONS, WEBHOOKS_SCHEMA } from './webhooks.migrations';
export * from './delivery-queue';
export * from './retry-schedule';
export * from './delivery/address-policy';
export * from './delivery/post-webhook';
export * from './delivery/signing';
