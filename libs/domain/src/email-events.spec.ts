import { EMAIL_EVENT_SCHEMA_VERSION, EMAIL_EVENT_TYPES, isEmailEventType } from './email-events';

describe('email events', () => {
  it('are at schema version 1', () => {
    expect(EMAIL_EVENT_SCHEMA_VERSION).toBe(1);
  });

  it('lists every event type once', () => {
    expect([...EMAIL_EVENT_TYPES].sort()).toEqual([
      'EmailAttachmentsPurged',
      'EmailCancelled',
      'EmailContentEdited',
      'EmailDeferred',
      'EmailExpired',
      'EmailFailed',
      'EmailPaused',
      'EmailRescheduled',
      'EmailResumed',
      'EmailRetryRequested',
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSent',
    ]);
    expect(Object.isFrozen(EMAIL_EVENT_TYPES)).toBe(true);
  });

  it('recognises its own type names and nothing else', () => {
    expect(EMAIL_EVENT_TYPES.every(isEmailEventType)).toBe(true);
    expect(isEmailEventType('OrderPlaced')).toBe(false);
    expect(isEmailEventType('emailsent')).toBe(false);
    expect(isEmailEventType('toString')).toBe(false);
    expect(isEmailEventType('__proto__')).toBe(false);
  });
});
