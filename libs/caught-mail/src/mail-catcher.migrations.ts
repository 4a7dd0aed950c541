import type { Migration } from '@app/schema-migrations';

/** The schema the mail catcher keeps received mail in; the api's outbox reads it. */
export const MAIL_CATCHER_SCHEMA = 'mail_catcher';

/** Numbered migrations of `mail_catcher`, applied by the mail catcher at start. */
export const MAIL_CATCHER_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_messages',
    sql: `
      -- 001: every message the catcher accepted. seq orders them (newest first = seq DESC);
      -- raw keeps at most the first RAW_TEXT_LIMIT bytes, size is the whole message's.
      CREATE TABLE messages (
        seq            bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
        id             uuid        PRIMARY KEY,
        received_at    timestamptz NOT NULL DEFAULT now(),
        envelope_from  text        NOT NULL,
        envelope_to    text[]      NOT NULL,
        message_id     text,
        subject        text,
        header_from    text,
        header_to      text,
        size           integer     NOT NULL CHECK (size >= 0),
        raw            text        NOT NULL,
        raw_truncated  boolean     NOT NULL
      );
      CREATE INDEX messages_message_id ON messages (message_id);`,
  },
];
