import { createHash } from 'node:crypto';
import { ValidationError } from '@app/domain';
import { EmailCommands, IN_AN_HOUR, SENDER, TENANT } from '../../testing/email-commands';
import type { ScheduleOutcome } from '../commands/email-scheduling';
import { scheduleItem } from '../commands/idempotency';
import type { ScheduleEmailInput } from '../commands/schedule-email.command';
import { ScheduleEmailsCommand } from '../commands/schedule-emails.command';
import { decodeAttachments } from './attachment-intake';

const pdf = Buffer.from('%PDF-1.7 not really');
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('decodeAttachments', () => {
  it('turns base64 into refs with size and hash, and keeps the bytes by hash', () => {
    const { refs, files } = decodeAttachments([
      { filename: 'Überweisung ✓.pdf', content: pdf.toString('base64') },
      { filename: 'logo', content: 'iVBORw', contentType: 'image/png', contentId: 'logo@acme' },
    ]);
    expect(refs).toEqual([
      {
        filename: 'Überweisung ✓.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: sha256(pdf),
      },
      {
        filename: 'logo',
        contentType: 'image/png',
        contentId: 'logo@acme',
        size: 4,
        sha256: sha256(Buffer.from('iVBORw', 'base64')),
      },
    ]);
    expect(files.get(sha256(pdf))).toEqual(pdf);
  });

  it('guesses application/octet-stream for a name it does not know', () => {
    expect(decodeAttachments([{ filename: 'data.zzz9', content: '' }]).refs).toMatchObject([
      { contentType: 'application/octet-stream', size: 0 },
    ]);
  });

  it.each([
    ['whitespace', 'aGVs bG8='],
    ['the URL-safe alphabet', 'aGVsbG8_'],
    ['a data: URL', 'data:text/plain;base64,aGVsbG8='],
    ['a length no encoding has', 'aGVsb'],
    ['padding in the middle', 'aG=sbG8='],
    ['bits past the last byte', 'aGVsbG9='],
    ['a number', 42],
  ])('refuses %s as attachments[i].content', (_, content) => {
    let refused: unknown;
    try {
      decodeAttachments([
        { filename: 'ok.txt', content: 'b2s=' },
        { filename: 'x.txt', content },
      ]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([
      { field: 'attachments[1].content', reason: 'must be base64 (RFC 4648)' },
    ]);
  });
});

describe('fields an attachment may not carry', () => {
  it.each(['path', 'href', 'sha256', 'size', 'raw'])(
    'refuses %s, naming it: bytes come only as content (a path rode along before)',
    (key) => {
      let refused: unknown;
      try {
        decodeAttachments([{ filename: 'a.txt', content: 'aGVsbG8=', [key]: '/etc/passwd' }]);
      } catch (error) {
        refused = error;
      }
      expect((refused as ValidationError).issues.map((issue) => issue.field)).toEqual([
        `attachments[0].${key}`,
      ]);
    },
  );
});

describe('attachments at scheduling', () => {
  let commands: EmailCommands;
  beforeEach(async () => {
    commands = await EmailCommands.start();
  });
  afterEach(() => commands.close());

  it('stores the bytes of the emails decided on, and nothing of one the domain refused', async () => {
    const input = (to: string, filename: string): ScheduleEmailInput => {
      const { refs } = decodeAttachments([{ filename, content: pdf.toString('base64') }]);
      return {
        from: 'a@acme.example',
        to,
        subject: 'Invoice',
        text: 'Attached',
        sendAt: IN_AN_HOUR,
        attachments: refs,
      };
    };
    const { files } = decodeAttachments([{ filename: 'x', content: pdf.toString('base64') }]);
    const items = [
      input('b@example.com', 'invoice.pdf'),
      input('c@example.com', '../etc/passwd'),
    ].map((body) => ({ ...scheduleItem(TENANT, body, undefined), files }));
    const outcomes = await commands.execute<ScheduleOutcome[]>(
      new ScheduleEmailsCommand(SENDER, items),
    );

    expect(outcomes[1]).toBeInstanceOf(ValidationError);
    expect([...commands.attachments.stored.keys()]).toEqual([`${TENANT}/${items[0]?.emailId}`]);
  });
});
