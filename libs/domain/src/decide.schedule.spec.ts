import { IllegalStateError, ValidationError } from './domain-errors';
import { DEFAULT_RULES } from './domain-rules';
import type { EmailStatus } from './email-state';
import {
  DAY,
  emailScheduled,
  EMAIL_ID,
  HISTORY,
  plus,
  scheduleEmail,
  SCHEDULED_AT,
  SEND_AT,
} from './testing/email-fixtures';
import { given } from './testing/given-when-then';
import { issue, withIssues } from './testing/issues';
import { withoutUndefined } from './testing/json';

describe('ScheduleEmail', () => {
  describe('on a new stream', () => {
    it('records the email with canonical addresses and the defaults filled in', () => {
      const state = given([]).when(scheduleEmail()).then([emailScheduled()]);

      expect(state).toEqual({
        status: 'scheduled',
        email: expect.objectContaining({
          emailId: EMAIL_ID,
          sendAt: SEND_AT,
          maxAttempts: 5,
        }) as unknown,
        dueAt: SEND_AT,
        attemptsMade: 0,
      });
    });

    it('sends now when no sendAt is given', () => {
      given([])
        .when(scheduleEmail({ sendAt: undefined }))
        .then([emailScheduled({ requestedSendAt: SCHEDULED_AT, sendAt: SCHEDULED_AT })]);
    });

    it('sends now when sendAt is in the past, yet remembers what was asked', () => {
      const yesterday = plus(SCHEDULED_AT, -DAY);
      given([])
        .when(scheduleEmail({ sendAt: yesterday }))
        .then([emailScheduled({ requestedSendAt: yesterday, sendAt: SCHEDULED_AT })]);
    });

    it('stores instants in canonical UTC whatever offset they were given in', () => {
      given([])
        .when(
          scheduleEmail({ sendAt: '2030-01-01T11:30:00+01:30', now: '2030-01-01T10:00:00+01:00' }),
        )
        .then([
          emailScheduled({ requestedSendAt: SEND_AT, sendAt: SEND_AT, scheduledAt: SCHEDULED_AT }),
        ]);
    });

    it('accepts a sendAt exactly at the scheduling horizon', () => {
      const horizon = plus(SCHEDULED_AT, DEFAULT_RULES.horizonMs);
      given([])
        .when(scheduleEmail({ sendAt: horizon }))
        .then([emailScheduled({ requestedSendAt: horizon, sendAt: horizon })]);
    });

    it('accepts recipients as one string, "Name <address>" forms and {address, name} objects', () => {
      given([])
        .when(
          scheduleEmail({
            to: 'Jane Doe <jane@Example.COM>',
            cc: ['"Doe, John" <john@example.com>', { address: 'ops@Example.com', name: ' Ops ' }],
            bcc: { address: 'audit@example.com' },
          }),
        )
        .then([
          emailScheduled({
            to: [{ address: 'jane@example.com', name: 'Jane Doe' }],
            cc: [
              { address: 'john@example.com', name: 'Doe, John' },
              { address: 'ops@example.com', name: 'Ops' },
            ],
            bcc: [{ address: 'audit@example.com' }],
          }),
        ]);
    });

    it('counts duplicate recipients rather than rejecting them: de-duplication is the relay’s concern', () => {
      given([])
        .when(scheduleEmail({ to: ['jane@example.com'], cc: ['jane@example.com'] }))
        .then([
          emailScheduled({
            to: [{ address: 'jane@example.com' }],
            cc: [{ address: 'jane@example.com' }],
          }),
        ]);
    });

    it('keeps tags, maxAttempts and the idempotency key', () => {
      given([])
        .when(
          scheduleEmail({ tags: ['invoice', 'tier:gold'], maxAttempts: 3, idempotencyKey: 'k-1' }),
        )
        .then([
          emailScheduled({ tags: ['invoice', 'tier:gold'], maxAttempts: 3, idempotencyKey: 'k-1' }),
        ]);
    });

    it('accepts an html-only email and leaves an empty text part out', () => {
      given([])
        .when(scheduleEmail({ text: '', html: '<p>Hi</p>' }))
        .then([emailScheduled({ text: undefined, html: '<p>Hi</p>' })].map(withoutUndefined));
    });

    it('accepts maxAttempts up to the cap, and a cap raised by the rules', () => {
      given([])
        .when(scheduleEmail({ maxAttempts: 20 }))
        .then([emailScheduled({ maxAttempts: 20 })]);
      given([])
        .when(scheduleEmail({ maxAttempts: 30 }), { ...DEFAULT_RULES, maxAttemptsCap: 30 })
        .then([emailScheduled({ maxAttempts: 30 })]);
    });

    it('takes the default maxAttempts from the rules', () => {
      given([])
        .when(scheduleEmail(), { ...DEFAULT_RULES, defaultMaxAttempts: 2 })
        .then([emailScheduled({ maxAttempts: 2 })]);
    });

    it('accepts exactly maxRecipients recipients across to, cc and bcc', () => {
      const many = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
      given([])
        .when(scheduleEmail({ to: many('t', 30), cc: many('c', 10), bcc: many('b', 10) }))
        .then([
          emailScheduled({
            to: many('t', 30).map((address) => ({ address })),
            cc: many('c', 10).map((address) => ({ address })),
            bcc: many('b', 10).map((address) => ({ address })),
          }),
        ]);
    });

    it('keeps "%0d%0a" in a subject as the literal text it is: only a decoded CR/LF could break a header', () => {
      given([])
        .when(scheduleEmail({ subject: 'Offer %0d%0aBcc: x@evil.example' }))
        .then([emailScheduled({ subject: 'Offer %0d%0aBcc: x@evil.example' })]);
    });

    it('accepts a subject of exactly maxSubjectLength characters, counting code points', () => {
      const subject = '😀'.repeat(DEFAULT_RULES.maxSubjectLength);
      given([])
        .when(scheduleEmail({ subject }))
        .then([emailScheduled({ subject })]);
    });
  });

  describe('validation', () => {
    it('names every bad field in one error instead of stopping at the first', () => {
      given([])
        .when(
          scheduleEmail({
            from: 'not-an-address',
            to: ['ok@example.com', 'bad@@example.com'],
            subject: ' ',
            text: undefined,
            sendAt: 'tomorrow',
            tags: ['ok', 'not ok'],
            maxAttempts: 0,
          }),
        )
        .thenThrows(ValidationError, {
          issues: [
            issue('from', 'must contain "@"'),
            issue('to[1]'),
            issue('subject', 'is required'),
            issue('body', 'text or html is required'),
            issue('tags[1]'),
            issue('maxAttempts', 'must be an integer from 1 to 20'),
            issue('sendAt', /ISO-8601/),
          ],
        });
    });

    it.each([
      ['no to at all', { to: undefined as unknown as string }],
      ['an empty to list', { to: [] }],
      ['only cc and bcc', { to: [], cc: ['a@example.com'], bcc: ['b@example.com'] }],
    ])('requires at least one "to" recipient: %s', (_, overrides) => {
      given([])
        .when(scheduleEmail(overrides))
        .thenThrows(ValidationError, withIssues(issue('to', 'at least one recipient is required')));
    });

    it('refuses more than maxRecipients across to, cc and bcc together', () => {
      const many = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.com`);
      given([])
        .when(scheduleEmail({ to: many(40), cc: many(5), bcc: many(6) }))
        .thenThrows(ValidationError, withIssues(issue('to', /51 recipients; at most 50/)));
    });

    it('applies a lower maxRecipients from the rules', () => {
      given([])
        .when(scheduleEmail({ to: ['a@example.com', 'b@example.com'] }), {
          ...DEFAULT_RULES,
          maxRecipients: 1,
        })
        .thenThrows(ValidationError, withIssues(issue('to', /2 recipients; at most 1/)));
    });

    it('names a bad single recipient by field and a bad list entry by index', () => {
      given([])
        .when(scheduleEmail({ to: 'nope', cc: ['a@example.com', 'b@example.com', 'x@'] }))
        .thenThrows(ValidationError, {
          issues: [issue('to', 'must contain "@"'), issue('cc[2]', /domain .* is empty/)],
        });
    });

    describe('header injection', () => {
      it.each([
        ['CR LF in the subject', { subject: 'Hello\r\nBcc: victim@example.com' }, 'subject'],
        ['a bare LF in the subject', { subject: 'Hello\nWorld' }, 'subject'],
        ['a TAB in the subject', { subject: 'Hello\tWorld' }, 'subject'],
        ['U+2028 in the subject', { subject: 'Hello\u2028World' }, 'subject'],
        ['U+2029 in the subject', { subject: 'Hello\u2029World' }, 'subject'],
        ['NEL (U+0085) in the subject', { subject: 'Hello\u0085World' }, 'subject'],
        ['NUL in the subject', { subject: 'Hello\u0000' }, 'subject'],
        ['DEL in the subject', { subject: 'Hello\u007f' }, 'subject'],
        [
          'CR LF in the from display name',
          { from: 'Eve\r\nBcc: x@evil.example <eve@example.com>' },
          'from',
        ],
        [
          'CR LF after the from address',
          { from: 'eve@example.com\r\nBcc: x@evil.example' },
          'from',
        ],
        [
          'CR LF in an object display name',
          { to: [{ address: 'a@example.com', name: 'A\r\nBcc: x@evil.example' }] },
          'to[0]',
        ],
        ['CR LF inside an address', { to: ['a@example.com\r\n.evil'] }, 'to[0]'],
        ['U+2028 in a display name', { cc: ['Jane\u2028Doe <jane@example.com>'] }, 'cc[0]'],
        ['CR LF in a tag', { tags: ['ok', 'x\r\nBcc: y@evil.example'] }, 'tags[1]'],
        ['a trailing LF in a tag', { tags: ['urgent\n'] }, 'tags[0]'],
        ['CR LF in the idempotency key', { idempotencyKey: 'k\r\nX: 1' }, 'idempotencyKey'],
      ])('rejects %s', (_, overrides, field) => {
        given([])
          .when(scheduleEmail(overrides))
          .thenThrows(ValidationError, withIssues(issue(field)));
      });

      it('rejects two addresses smuggled into one entry', () => {
        given([])
          .when(scheduleEmail({ to: ['Jane <jane@example.com>, eve@evil.example'] }))
          .thenThrows(ValidationError, withIssues(issue('to[0]', 'must hold exactly one address')));
      });
    });

    describe('subject', () => {
      it.each([
        ['missing', undefined],
        ['empty', ''],
        ['only whitespace', '   '],
      ])('is required: %s', (_, subject) => {
        given([])
          .when(scheduleEmail({ subject: subject as string }))
          .thenThrows(ValidationError, withIssues(issue('subject', 'is required')));
      });

      it('may not exceed maxSubjectLength characters', () => {
        given([])
          .when(scheduleEmail({ subject: 'x'.repeat(999) }))
          .thenThrows(
            ValidationError,
            withIssues(issue('subject', 'must be at most 998 characters')),
          );
      });
    });

    describe('body', () => {
      it.each([
        ['neither text nor html', { text: undefined, html: undefined }],
        ['both empty', { text: '', html: '' }],
        ['whitespace only', { text: ' \r\n ', html: undefined }],
      ])('needs text or html: %s', (_, overrides) => {
        given([])
          .when(scheduleEmail(overrides))
          .thenThrows(ValidationError, withIssues(issue('body', 'text or html is required')));
      });

      it('limits text and html together in UTF-8 bytes, not characters', () => {
        const rules = { ...DEFAULT_RULES, maxBodyBytes: 10 };
        // 4 × "é" is 8 bytes; with "<b></b>" (7) the total is 15.
        given([])
          .when(scheduleEmail({ text: 'éééé', html: '<b></b>' }), rules)
          .thenThrows(ValidationError, withIssues(issue('body', /at most 10 bytes .* \(got 15\)/)));
        given([])
          .when(scheduleEmail({ text: 'ééééé' }), rules)
          .then([emailScheduled({ text: 'ééééé' })]);
      });

      it('refuses a body over the default 512 KiB', () => {
        given([])
          .when(scheduleEmail({ text: 'a'.repeat(300 * 1024), html: 'b'.repeat(300 * 1024) }))
          .thenThrows(ValidationError, withIssues(issue('body', /524288 bytes/)));
      });

      it('refuses NUL characters in the body, which Postgres cannot store', () => {
        given([])
          .when(scheduleEmail({ html: '<p>\u0000</p>' }))
          .thenThrows(
            ValidationError,
            withIssues(issue('html', 'must not contain NUL characters')),
          );
      });

      it('allows line breaks and tabs in the body: it is not a header', () => {
        given([])
          .when(scheduleEmail({ text: 'Line one\r\n\tLine two' }))
          .then([emailScheduled({ text: 'Line one\r\n\tLine two' })]);
      });
    });

    describe('tags', () => {
      it('allows at most 20', () => {
        const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
        given([])
          .when(scheduleEmail({ tags }))
          .thenThrows(ValidationError, withIssues(issue('tags', 'must hold at most 20 tags')));
      });

      it.each([
        ['empty', ''],
        ['65 characters', 'x'.repeat(65)],
        ['a space', 'two words'],
        ['a slash', 'a/b'],
        ['non-ASCII', 'café'],
      ])('rejects a tag that is %s', (_, tag) => {
        given([])
          .when(scheduleEmail({ tags: [tag] }))
          .thenThrows(ValidationError, withIssues(issue('tags[0]')));
      });
    });

    it.each([0, -1, 21, 2.5, Number.NaN])('rejects maxAttempts %p', (maxAttempts) => {
      given([])
        .when(scheduleEmail({ maxAttempts }))
        .thenThrows(ValidationError, withIssues(issue('maxAttempts')));
    });

    describe('sendAt', () => {
      it.each([
        ['a date alone', '2030-01-01'],
        ['an impossible date', '2030-02-30T10:00:00Z'],
        ['free text', 'next tuesday'],
        ['a number', 1_900_000_000_000 as unknown as string],
      ])('rejects %s', (_, sendAt) => {
        given([])
          .when(scheduleEmail({ sendAt }))
          .thenThrows(ValidationError, withIssues(issue('sendAt', /ISO-8601 .* timezone/)));
      });

      it('rejects a wall-clock time without timeZone, saying what would make it one', () => {
        given([])
          .when(scheduleEmail({ sendAt: '2030-01-01T10:00:00' }))
          .thenThrows(
            ValidationError,
            withIssues(issue('sendAt', /has no offset: add one .* or give timeZone/)),
          );
      });

      it('rejects a time beyond the horizon', () => {
        given([])
          .when(scheduleEmail({ sendAt: plus(SCHEDULED_AT, DEFAULT_RULES.horizonMs + 1) }))
          .thenThrows(
            ValidationError,
            withIssues(issue('sendAt', 'must be at most 365 days from now')),
          );
      });

      it('applies the horizon from the rules', () => {
        given([])
          .when(scheduleEmail({ sendAt: plus(SCHEDULED_AT, 2 * DAY) }), {
            ...DEFAULT_RULES,
            horizonMs: DAY,
          })
          .thenThrows(
            ValidationError,
            withIssues(issue('sendAt', 'must be at most 1 days from now')),
          );
      });
    });

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(256)],
    ])('rejects an idempotency key that is %s', (_, idempotencyKey) => {
      given([])
        .when(scheduleEmail({ idempotencyKey }))
        .thenThrows(ValidationError, withIssues(issue('idempotencyKey')));
    });
  });

  describe('refusals', () => {
    it.each<EmailStatus>(['scheduled', 'attempting', 'sent', 'failed', 'cancelled'])(
      'refuses to schedule over an email that is %s',
      (status) => {
        given(HISTORY[status]).when(scheduleEmail()).thenThrows(IllegalStateError, {
          code: 'illegal-state',
          status,
          reason: 'cannot schedule: an email with this id already exists',
        });
      },
    );

    it('treats a malformed "now" as a bug in the caller, not as user input', () => {
      given([])
        .when(scheduleEmail({ now: 'now' }))
        .thenThrows(TypeError);
    });

    it('treats a missing email id as a bug in the caller', () => {
      given([])
        .when(scheduleEmail({ emailId: '' }))
        .thenThrows(TypeError);
    });
  });
});
