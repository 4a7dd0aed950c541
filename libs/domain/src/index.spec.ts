import * as domain from './index';

describe('@app/domain public API', () => {
  it('exposes the decider and its rules as values', () => {
    expect(Object.keys(domain).sort()).toEqual(
      [
        'DEFAULT_ATTACHMENT_TYPE',
        'DEFAULT_IN_DOUBT_POLICY',
        'DEFAULT_MAX_IN_DOUBT_RESENDS',
        'DEFAULT_RELAY_CIRCUIT_POLICY',
        'DEFAULT_RETRY_POLICY',
        'DEFAULT_RULES',
        'DEFAULT_SCHEDULE_RULES',
        'SCHEDULE_EVENT_SCHEMA_VERSION',
        'SCHEDULE_EVENT_TYPES',
        'decideSchedule',
        'evolveSchedule',
        'initialScheduleState',
        'isScheduleEventType',
        'nextOccurrence',
        'occurrenceEmail',
        'occurrenceStep',
        'occurrencesAfter',
        'parseDurationMs',
        'parseRecurrence',
        'recurrenceOf',
        'replaySchedule',
        'DomainError',
        'EMAIL_EVENT_SCHEMA_VERSION',
        'EMAIL_EVENT_TYPES',
        'FAILURE_REASONS',
        'ForbiddenError',
        'IllegalStateError',
        'MAX_CANCEL_REASON_LENGTH',
        'MAX_DISPLAY_NAME_LENGTH',
        'MAX_IDEMPOTENCY_KEY_LENGTH',
        'MAX_METADATA_KEY_LENGTH',
        'MAX_METADATA_VALUE_LENGTH',
        'MAX_RELAY_TEXT_CODE_POINTS',
        'MAX_TAGS',
        'MAX_TAG_LENGTH',
        'MAX_TIME_ZONE_LENGTH',
        'WEEKDAYS',
        'canonicalTimeZone',
        'isLocalDateTime',
        'nextOpening',
        'parseDeliveryWindow',
        'resolveLocalTime',
        'sendGate',
        'wallClockAt',
        'NotFoundError',
        'ValidationError',
        'backoffCeilingMs',
        'classifySmtpFailure',
        'decide',
        'domainNameProblem',
        'dueAt',
        'finalAt',
        'isOwnedHeader',
        'emailDecider',
        'evolve',
        'formatInstant',
        'inDoubtResolution',
        'initialState',
        'isEmailEventType',
        'isSendInDoubt',
        'isTerminal',
        'parseAddress',
        'parseInstant',
        'parseMetadata',
        'replay',
        'senderEventData',
        'senderFailure',
        'resolveSendAt',
        'retryDelayMs',
        'sanitizeRelayText',
        'utf8ByteLength',
      ].sort(),
    );
  });

  it('offers the decider in emmett’s shape', () => {
    const { decide, evolve, initialState } = domain.emailDecider;
    expect(decide).toBe(domain.decide);
    expect(evolve).toBe(domain.evolve);
    expect(initialState).toBe(domain.initialState);
  });

  it('ships defaults matching the documented limits', () => {
    expect(domain.DEFAULT_RULES).toEqual({
      maxRecipients: 50,
      maxSubjectLength: 998,
      maxBodyBytes: 524_288,
      maxInDoubtResends: 3,
      horizonMs: 365 * 24 * 60 * 60 * 1000,
      defaultMaxAttempts: 5,
      maxAttemptsCap: 20,
      maxAttachments: 20,
      maxAttachmentBytes: 10 * 1024 * 1024,
      maxAttachmentsTotalBytes: 10 * 1024 * 1024,
      retry: { baseDelayMs: 30_000, factor: 4, maxDelayMs: 3_600_000 },
    });
    expect(Object.isFrozen(domain.DEFAULT_RULES)).toBe(true);
  });
});
