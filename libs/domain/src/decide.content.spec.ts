// Reply-to, headers, metadata, attachments and templates at scheduling; content edits before sending; the purge
// of attachments' bytes after retention.

import { decide } from './decide';
import { IllegalStateError, ValidationError } from './domain-errors';
import type { EmailEvent } from './email-events';
import { replay } from './evolve';
import {
  ATTACHMENT,
  DAY,
  emailAttachmentsPurged,
  emailCancelled,
  emailContentEdited,
  emailPaused,
  emailScheduled,
  emailFailedFinally,
  emailSendAttempted,
  emailSendInDoubtResent,
  emailSent,
  PERMANENT,
  retryEmail,
  editEmailContent,
  plus,
  purgeAttachments,
  scheduleEmail,
  SEND_AT,
} from './testing/email-fixtures';
import { given } from './testing/given-when-then';

function fieldsRefused(data: Parameters<typeof scheduleEmail>[0]): string[] {
  try {
    decide(scheduleEmail(data), { status: 'initial' });
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  return [];
}

function scheduledData(data: Parameters<typeof scheduleEmail>[0]) {
  const [event] = decide(scheduleEmail(data), { status: 'initial' });
  if (event?.type !== 'EmailScheduled') throw new Error('not scheduled');
  return event.data;
}

describe('scheduling with the message parts', () => {
  it('keeps reply-to, headers in order, metadata, attachments and the template', () => {
    const data = scheduledData({
      replyTo: ['Support <help@acme.example>', 'ops@acme.example'],
      headers: { 'X-Campaign': 'spring', 'List-Unsubscribe': '<mailto:u@acme.example>' },
      metadata: { orderId: '42', 'crm.id': 'c-7' },
      attachments: [ATTACHMENT, { ...ATTACHMENT, filename: 'logo.png', contentId: 'logo@acme' }],
      template: { id: 'tpl_1', version: 3, variables: { name: 'Ann' } },
    });
    expect(data.replyTo).toEqual([
      { address: 'help@acme.example', name: 'Support' },
      { address: 'ops@acme.example' },
    ]);
    expect(data.headers).toEqual([
      { name: 'X-Campaign', value: 'spring' },
      { name: 'List-Unsubscribe', value: '<mailto:u@acme.example>' },
    ]);
    expect(data.metadata).toEqual({ orderId: '42', 'crm.id': 'c-7' });
    expect(data.attachments?.map((a) => a.filename)).toEqual(['invoice.pdf', 'logo.png']);
    expect(data.template).toEqual({ id: 'tpl_1', version: 3, variables: { name: 'Ann' } });
  });

  it('leaves absent or empty parts out of the event', () => {
    const data = scheduledData({ headers: {}, metadata: {}, attachments: [] });
    expect(Object.keys(data)).not.toEqual(
      expect.arrayContaining(['headers', 'metadata', 'attachments', 'replyTo', 'template']),
    );
  });

  it.each([
    'Message-ID',
    'date',
    'FROM',
    'To',
    'cc',
    'Bcc',
    'Reply-To',
    'Subject',
    'MIME-Version',
    'Content-Type',
    'content-transfer-encoding',
    'Return-Path',
    'Received',
    'DKIM-Signature',
  ])('refuses the owned header %s, naming it', (name) => {
    expect(fieldsRefused({ headers: { [name]: 'x' } })).toEqual([`headers.${name}`]);
  });

  it.each([
    ['a CR LF in a value', { 'X-A': 'ok\r\nBcc: evil@example.com' }, 'headers.X-A'],
    ['a bare LF in a value', { 'X-A': 'ok\nBcc: evil@example.com' }, 'headers.X-A'],
    ['a NUL in a value', { 'X-A': 'a\u0000b' }, 'headers.X-A'],
    ['U+2028 in a value', { 'X-A': 'a\u2028b' }, 'headers.X-A'],
    ['a colon in a name', { 'X-A: b\r\nBcc': 'c' }, 'headers'],
    ['a space in a name', { 'X A': 'b' }, 'headers'],
    ['a CR LF in a name', { 'X-A\r\nBcc': 'evil@example.com' }, 'headers'],
    ['a non-ASCII name', { 'X-É': 'b' }, 'headers'],
    ['an empty value', { 'X-A': ' ' }, 'headers.X-A'],
    ['a number value', { 'X-A': 1 }, 'headers.X-A'],
    ['names that differ in case only', { 'X-A': 'a', 'x-a': 'b' }, 'headers.x-a'],
  ])('refuses header injection: %s', (_, headers, field) => {
    expect(fieldsRefused({ headers })).toEqual([field]);
  });

  it.each(['Resent-From', 'resent-sender', 'ARC-Seal', 'Authentication-Results', 'Received-SPF'])(
    'refuses %s, a header only relays write (a tenant could show a sender not its own)',
    (name) => {
      expect(fieldsRefused({ headers: { [name]: 'x@elsewhere.example' } })).toEqual([
        `headers.${name}`,
      ]);
    },
  );

  it("caps a header value so that, unfolded, its line stays within RFC 5322's 998", () => {
    expect(fieldsRefused({ headers: { 'X-Token': 'a'.repeat(900) } })).toEqual([]);
    expect(fieldsRefused({ headers: { 'X-Token': 'a'.repeat(901) } })).toEqual(['headers.X-Token']);
  });

  it('keeps a metadata key that names an Object property as a key like any other', () => {
    const data = scheduledData({
      metadata: JSON.parse('{"__proto__":"p","constructor":"c"}') as object,
    });
    expect(Object.keys(data.metadata ?? {})).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(data.metadata))).toEqual(
      JSON.parse('{"__proto__":"p","constructor":"c"}'),
    );
  });

  it('caps the number of headers', () => {
    const headers = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(fieldsRefused({ headers })).toEqual(['headers']);
  });

  it.each([
    [{ 'a b': 'x' }, 'metadata'],
    [{ ok: 1 }, 'metadata.ok'],
    [{ ok: 'x'.repeat(501) }, 'metadata.ok'],
    [{ ok: 'a\u0000b' }, 'metadata.ok'],
    [['x'], 'metadata'],
  ])('refuses bad metadata %j naming %s', (metadata, field) => {
    expect(fieldsRefused({ metadata })).toEqual([field]);
  });

  it.each([
    [{ ...ATTACHMENT, filename: '../etc/passwd' }, 'attachments[0].filename'],
    [{ ...ATTACHMENT, filename: 'a\r\nb.pdf' }, 'attachments[0].filename'],
    [{ ...ATTACHMENT, filename: '' }, 'attachments[0].filename'],
    [{ ...ATTACHMENT, contentType: 'pdf' }, 'attachments[0].contentType'],
    [{ ...ATTACHMENT, contentType: 'text/html\r\nX: y' }, 'attachments[0].contentType'],
    [{ ...ATTACHMENT, contentId: 'a>b' }, 'attachments[0].contentId'],
    [{ ...ATTACHMENT, size: 10 * 1024 * 1024 + 1 }, 'attachments[0].content'],
    [{ ...ATTACHMENT, sha256: 'A'.repeat(64) }, 'attachments[0].sha256'],
    [{ ...ATTACHMENT, path: '/etc/passwd' }, 'attachments[0].path'],
    [{ ...ATTACHMENT, href: 'http://169.254.169.254/' }, 'attachments[0].href'],
  ])('refuses a bad attachment %j naming %s', (attachment, field) => {
    expect(fieldsRefused({ attachments: [attachment] })).toEqual([field]);
  });

  it('accepts a non-ASCII file name and caps the files together', () => {
    expect(
      fieldsRefused({ attachments: [{ ...ATTACHMENT, filename: 'Überweisung ✓.pdf' }] }),
    ).toEqual([]);
    const big = { ...ATTACHMENT, size: 6 * 1024 * 1024 };
    expect(fieldsRefused({ attachments: [big, big] })).toEqual(['attachments']);
    expect(
      fieldsRefused({
        attachments: [
          { ...ATTACHMENT, contentId: 'x@y' },
          { ...ATTACHMENT, contentId: 'x@y' },
        ],
      }),
    ).toEqual(['attachments[1].contentId']);
  });

  it('refuses a bad reply-to naming its position', () => {
    expect(fieldsRefused({ replyTo: ['ok@example.com', 'not an address'] })).toEqual([
      'replyTo[1]',
    ]);
  });
});

describe('editing the content before it goes', () => {
  const scheduled = [emailScheduled({ html: '<p>Old</p>', metadata: { a: '1' } })];

  it('records only what changed, with the due time kept for its job', () => {
    given(scheduled)
      .when(editEmailContent({ subject: 'Your invoice', text: 'New text', metadata: null }))
      .then([
        {
          type: 'EmailContentEdited',
          data: {
            editedAt: '2030-01-01T09:00:00.000Z',
            changes: { text: 'New text' },
            removed: ['metadata'],
            dueAt: SEND_AT,
          },
        },
      ]);
  });

  it('changes nothing when nothing differs', () => {
    given(scheduled)
      .when(editEmailContent({ subject: 'Your invoice' }))
      .then([]);
  });

  it('holds the edit to the scheduling rules, naming every field', () => {
    given(scheduled)
      .when(editEmailContent({ to: [], headers: { From: 'x@y.z' }, text: null, html: null }))
      .thenThrows(ValidationError, {
        issues: expect.arrayContaining([
          expect.objectContaining({ field: 'to' }),
          expect.objectContaining({ field: 'headers.From' }),
          expect.objectContaining({ field: 'body' }),
        ]) as unknown,
      });
  });

  it('drops the template when subject or a body is changed literally', () => {
    const history = [emailScheduled({ template: { id: 't', version: 1, variables: {} } })];
    const state = given(history)
      .when(editEmailContent({ subject: 'Literal' }))
      .then([
        {
          type: 'EmailContentEdited',
          data: {
            editedAt: '2030-01-01T09:00:00.000Z',
            changes: { subject: 'Literal' },
            removed: ['template'],
            dueAt: SEND_AT,
          },
        },
      ]);
    expect(state.status === 'scheduled' && state.email.template).toBeUndefined();
  });

  it('keeps a paused email paused, its job at the deadline', () => {
    const history = [emailScheduled({ expiresAt: plus(SEND_AT, DAY) }), emailPaused()];
    const [event] = decide(editEmailContent({ text: 'x' }), replay(history));
    expect(event).toMatchObject({ data: { dueAt: plus(SEND_AT, DAY) } });
  });

  it('shows the content as it was at each revision', () => {
    const history: EmailEvent[] = [
      emailScheduled(),
      emailContentEdited({ subject: 'Second' }),
      emailContentEdited({ subject: 'Third', replyTo: [{ address: 'r@example.com' }] }),
    ];
    const subjects = [1, 2, 3].map((n) => {
      const state = replay(history.slice(0, n));
      return state.status === 'scheduled' ? state.email.subject : undefined;
    });
    expect(subjects).toEqual(['Your invoice', 'Second', 'Third']);
  });

  it('is refused after an attempt in doubt: its resend must say what the first copy said', () => {
    given([emailScheduled(), emailSendAttempted(1), emailSendInDoubtResent(1, plus(SEND_AT, DAY))])
      .when(editEmailContent({ subject: 'x' }))
      .thenThrows(IllegalStateError, { reason: expect.stringContaining('in doubt') as unknown });
  });

  it('is refused once an attempt is in progress', () => {
    given([emailScheduled(), emailSendAttempted(1)])
      .when(editEmailContent({ subject: 'x' }))
      .thenThrows(IllegalStateError, { reason: 'cannot edit: the email is already being sent' });
  });
});

describe('purging attachments after retention', () => {
  it('leaves a failed email whose files were purged beyond a retry, which could only fail at send time', () => {
    given([
      emailScheduled({ attachments: [ATTACHMENT] }),
      emailSendAttempted(1),
      emailFailedFinally(1, PERMANENT),
      emailAttachmentsPurged(plus(SEND_AT, 2 * DAY)),
    ])
      .when(retryEmail(plus(SEND_AT, 3 * DAY)))
      .thenThrows(IllegalStateError, { reason: expect.stringContaining('purged') as unknown });
  });

  const sent = [emailScheduled({ attachments: [ATTACHMENT] }), emailSendAttempted(1), emailSent(1)];
  const sentAt = plus(SEND_AT, 2_000);

  it('purges once retention has passed, keeping the record of what was attached', () => {
    const state = given(sent)
      .when(purgeAttachments(plus(sentAt, DAY)))
      .then([emailAttachmentsPurged(plus(sentAt, DAY))]);
    expect(state.status === 'sent' && state.email.attachments).toEqual([ATTACHMENT]);
    expect(state.status === 'sent' && state.email.attachmentsPurgedAt).toBe(plus(sentAt, DAY));
  });

  it('refuses before retention has passed', () => {
    given(sent)
      .when(purgeAttachments(plus(sentAt, DAY - 1)))
      .thenThrows(IllegalStateError);
  });

  it('does nothing twice, nor for an email without attachments', () => {
    given([...sent, emailAttachmentsPurged(plus(sentAt, DAY))])
      .when(purgeAttachments(plus(sentAt, 2 * DAY)))
      .then([]);
    given([emailScheduled(), emailCancelled()])
      .when(purgeAttachments(plus(SEND_AT, 2 * DAY)))
      .then([]);
  });
});
