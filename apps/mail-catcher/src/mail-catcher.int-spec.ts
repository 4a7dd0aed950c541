import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { CaughtMailStore, RAW_TEXT_LIMIT } from '@app/caught-mail';
import { PG_POOL, parseConfig } from '@app/platform';
import { createTestDatabase, freePort, type TestDatabase } from '@app/testing';
import type { Pool } from 'pg';
import { MailCatcherModule } from './mail-catcher.module';
import { MAX_MESSAGE_BYTES, SmtpCatcher } from './smtp-catcher';

let database: TestDatabase;
let app: INestApplicationContext;
let catcher: SmtpCatcher;
let sql: Client;

function send(mail: Parameters<ReturnType<typeof createTransport>['sendMail']>[0]) {
  const transport = createTransport({ host: '127.0.0.1', port: catcher.port, secure: false });
  return transport.sendMail(mail).finally(() => transport.close());
}

async function rows(messageId: string) {
  const { rows } = await sql.query<{
    envelope_from: string;
    envelope_to: string[];
    subject: string;
    header_from: string;
    size: number;
    raw: string;
    raw_truncated: boolean;
  }>('SELECT * FROM mail_catcher.messages WHERE message_id = $1', [messageId]);
  return rows;
}

beforeAll(async () => {
  database = await createTestDatabase('mailcatcher');
  const config = parseConfig({
    DATABASE_URL: database.url,
    MAIL_CATCHER_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [MailCatcherModule.forRoot(config)],
  }).compile();
  app = await moduleRef.init();
  catcher = app.get(SmtpCatcher);
  await catcher.start();
  expect(catcher.port).toBe(config.mailCatcherPort);
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await app?.close();
  await database?.drop();
});

describe('the mail catcher', () => {
  it('stores a message with its envelope, Message-ID and decoded subject', async () => {
    const messageId = `<${crypto.randomUUID()}@example.com>`;
    const info = await send({
      messageId,
      from: { name: 'Ada Lovelace', address: 'ada@example.com' },
      to: ['bob@example.com'],
      bcc: ['hidden@example.com'],
      subject: 'Grüße — hello',
      text: 'Hi Bob',
    });
    expect(info.response).toMatch(/^250/);

    const [row, ...others] = await rows(messageId);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({
      envelope_from: 'ada@example.com',
      envelope_to: ['bob@example.com', 'hidden@example.com'],
      subject: 'Grüße — hello',
      header_from: 'Ada Lovelace <ada@example.com>',
      raw_truncated: false,
    });
    expect(row?.raw).toContain('Hi Bob');
    expect(row?.size).toBe(Buffer.byteLength(row?.raw ?? '', 'utf8'));

    const page = await new CaughtMailStore(app.get<Pool>(PG_POOL)).list({ limit: 10 });
    expect(page.items[0]).toMatchObject({ messageId, subject: 'Grüße — hello' });
  });

  it('keeps the first bytes of a large message and its whole size', async () => {
    const messageId = `<${crypto.randomUUID()}@example.com>`;
    await send({
      messageId,
      from: 'ada@example.com',
      to: 'bob@example.com',
      subject: 'big',
      text: 'x'.repeat(2 * RAW_TEXT_LIMIT),
    });
    const [row] = await rows(messageId);
    expect(row?.raw_truncated).toBe(true);
    expect(row?.raw.length).toBeLessThanOrEqual(RAW_TEXT_LIMIT);
    expect(row?.size).toBeGreaterThan(2 * RAW_TEXT_LIMIT);
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const messageId = `<${crypto.randomUUID()}@example.com>`;
    await expect(
      send({
        messageId,
        from: 'ada@example.com',
        to: 'bob@example.com',
        subject: 'too big',
        text: 'y'.repeat(MAX_MESSAGE_BYTES + 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await rows(messageId)).toHaveLength(0);
  });

  it('listens on loopback only', () => {
    expect(catcher.address()).toMatchObject({ address: '127.0.0.1', port: catcher.port });
  });

  it('applies its migrations once, however often it starts', async () => {
    await new CaughtMailStore(app.get<Pool>(PG_POOL)).migrate();
    const { rows } = await sql.query<{ version: string }>(
      'SELECT version FROM mail_catcher.schema_migrations',
    );
    expect(rows.map((row) => row.version)).toEqual(['001_messages']);
  });
});
