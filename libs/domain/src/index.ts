// The public face of @app/domain. Anything not exported here is an implementation detail of the domain.

export {
  EMAIL_EVENT_SCHEMA_VERSION,
  EMAIL_EVENT_TYPES,
  isEmailEventType,
  type Address,
  type AttachmentRef,
  type ContentField,
  type EmailAttachmentsPurged,
  type EmailContent,
  type EmailContentEdited,
  type EmailHeader,
  type TemplateRef,
  type DeferralCause,
  type DeliveryWindow,
  type EmailCancelled,
  type EmailDeferred,
  type EmailExpired,
  type EmailPaused,
  type EmailResumed,
  type EmailRetryRequested,
  type ExpiryReason,
  type Weekday,
  type EmailEvent,
  type EmailEventData,
  type EmailEventType,
  type EmailFailed,
  type EmailRescheduled,
  type EmailScheduled,
  type EmailSendAttempted,
  type EmailSendInDoubt,
  type EmailSent,
  type FailureKind,
  type InDoubtFailReason,
  type InDoubtResolution,
  type RateLimitKind,
  type SendFailure,
} from './email-events';
export type {
  CancelEmail,
  ClaimSendAttempt,
  ContentChanges,
  DeferSend,
  EditEmailContent,
  PurgeAttachments,
  EmailCommand,
  EmailCommandType,
  ExpireEmail,
  PauseEmail,
  RecipientsInput,
  RecordSendFailure,
  RecordSendSuccess,
  RescheduleEmail,
  ResolveInDoubt,
  ResumeEmail,
  RetryEmail,
  ScheduleEmail,
} from './email-commands';
export {
  dueAt,
  finalAt,
  initialState,
  isTerminal,
  type AttemptingState,
  type CancelledState,
  type Deferral,
  type EmailDetails,
  type EmailState,
  type EmailStatus,
  type ExpiredState,
  type FailedState,
  type PausedState,
  type InitialState,
  type LastError,
  type ScheduledState,
  type SentState,
} from './email-state';
export { evolve, replay } from './evolve';
export {
  DEFAULT_ATTACHMENT_TYPE,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  isOwnedHeader,
  parseMetadata,
} from './rules/message-parts';
export { decide, MAX_CANCEL_REASON_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH } from './decide';
export { emailDecider } from './email-decider';
export {
  DomainError,
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type DomainErrorCode,
  type ValidationIssue,
} from './domain-errors';
export { DEFAULT_RULES, type DomainRules } from './domain-rules';
export { formatInstant, parseInstant } from './instant';
export {
  domainNameProblem,
  MAX_DISPLAY_NAME_LENGTH,
  parseAddress,
  type AddressInput,
  type AddressParseResult,
} from './rules/address';
export type { SenderIdentity } from './rules/sender-identity';
export { MAX_TAG_LENGTH, MAX_TAGS, utf8ByteLength } from './rules/content-limits';
export { MAX_RELAY_TEXT_CODE_POINTS, sanitizeRelayText } from './rules/relay-text';
export { resolveSendAt, type SendAtResolution } from './rules/send-at';
export {
  canonicalTimeZone,
  isLocalDateTime,
  MAX_TIME_ZONE_LENGTH,
  resolveLocalTime,
  wallClockAt,
} from './rules/local-time';
export {
  nextOpening,
  parseDeliveryWindow,
  WEEKDAYS,
  type DeliveryWindowParse,
} from './rules/delivery-window';
export { sendGate, type SendGate } from './rules/send-gate';
export {
  backoffCeilingMs,
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  type RetryPolicy,
} from './rules/retry-policy';
export { DEFAULT_RELAY_CIRCUIT_POLICY, type RelayCircuitPolicy } from './rules/relay-circuit';
export { classifySmtpFailure, type SmtpFailureSignal } from './rules/smtp-failure';
export {
  DEFAULT_IN_DOUBT_POLICY,
  DEFAULT_MAX_IN_DOUBT_RESENDS,
  inDoubtResolution,
  isSendInDoubt,
  type InDoubtPolicy,
} from './rules/in-doubt';
export { FAILURE_REASONS, senderEventData, senderFailure } from './tenant-views';
// Recurring sends (schedules/): one block, kept last.
export {
  isScheduleEventType,
  SCHEDULE_EVENT_SCHEMA_VERSION,
  SCHEDULE_EVENT_TYPES,
  type CatchUpPolicy,
  type OccurrenceScheduled,
  type OccurrencesSkipped,
  type RecurrenceRule,
  type ScheduleCreated,
  type ScheduleDeleted,
  type ScheduleEmailTemplate,
  type ScheduleEvent,
  type ScheduleEventType,
  type SchedulePaused,
  type ScheduleResumed,
  type SkipReason,
} from './schedules/schedule-events';
export type {
  CreateSchedule,
  DeleteSchedule,
  PauseSchedule,
  RecordOccurrence,
  ResumeSchedule,
  ScheduleCommand,
  ScheduleEmailInput,
  SkipOccurrences,
} from './schedules/schedule-commands';
export { DEFAULT_SCHEDULE_RULES, type ScheduleRules } from './schedules/schedule-rules';
export {
  initialScheduleState,
  recurrenceOf,
  type LiveScheduleState,
  type ScheduleDetails,
  type ScheduleState,
  type ScheduleStatus,
} from './schedules/schedule-state';
export { evolveSchedule, replaySchedule } from './schedules/schedule-evolve';
export {
  decideSchedule,
  nextOccurrence,
  occurrenceEmail,
  occurrenceStep,
  parseDurationMs,
  type OccurrenceStep,
} from './schedules/schedule-decide';
export { occurrencesAfter, parseRecurrence, type Recurrence } from './schedules/occurrences';
