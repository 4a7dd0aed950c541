// The mail catcher's store of received mail: the mail catcher writes it, the api's outbox reads it.
export {
  CaughtMailStore,
  InvalidCursorError,
  RAW_TEXT_LIMIT,
  type CaughtMail,
  type CaughtMailPage,
  type CaughtMailSummary,
  type ReceivedMail,
} from './caught-mail';
export { MAIL_CATCHER_MIGRATIONS, MAIL_CATCHER_SCHEMA } from './mail-catcher.migrations';
export { decodeEncodedWords, parseMailHeaders, type MailHeaders } from './mail-headers';
