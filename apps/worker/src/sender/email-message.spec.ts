import type { EmailDetails } from '@app/domain';
import { toOutgoingMail } from './email-message';

const email: EmailDetails = {
  emailId: '3f1c0b7e-8d7a-4c1e-9b1a-0f0e6d5c4b3a',
  tenantId: 't',
  from: { address: 'news@Mail.Example.org', name: 'News' },
  to: [{ address: 'a@example.com' }],
  cc: [{ address: 'c@example.com', name: 'C' }],
  bcc: [],
  subject: 'Hi',
  text: 'Hello',
  tags: [],
  maxAttempts: 5,
  requestedSendAt: '2030-01-01T00:00:00.000Z',
  sendAt: '2030-01-01T00:00:00.000Z',
  scheduledAt: '2029-12-31T00:00:00.000Z',
};

describe('toOutgoingMail', () => {
  it('derives the Message-ID from the email id and the sender domain, and carries only plain fields', () => {
    const mail = toOutgoingMail(email, new Map());
    expect(mail).toEqual({
      messageId: '<3f1c0b7e-8d7a-4c1e-9b1a-0f0e6d5c4b3a@Mail.Example.org>',
      from: { name: 'News', address: 'news@Mail.Example.org' },
      to: [{ name: '', address: 'a@example.com' }],
      cc: [{ name: 'C', address: 'c@example.com' }],
      bcc: [],
      subject: 'Hi',
      text: 'Hello',
    });
  });

  it('carries reply-to and the custom headers, never the metadata', () => {
    const mail = toOutgoingMail(
      {
        ...email,
        replyTo: [{ address: 'help@example.org' }],
        headers: [{ name: 'X-Campaign', value: 'spring' }],
        metadata: { customer: '42' },
      },
      new Map(),
    );
    expect(mail.replyTo).toEqual([{ name: '', address: 'help@example.org' }]);
    expect(mail.headers).toEqual([{ name: 'X-Campaign', value: 'spring' }]);
    expect(JSON.stringify(mail)).not.toContain('customer');
  });
});
