// Attachment bytes, stored once per tenant under their SHA-256 (`attachments` schema): the api stores them at
// scheduling and serves downloads, the worker reads them at send time and purges them after retention.
export { AttachmentStore, UNAPPENDED_GRACE_MS, type DueHolder } from './attachment-store';
export { ATTACHMENTS_MIGRATIONS, ATTACHMENTS_SCHEMA } from './attachments.migrations';
