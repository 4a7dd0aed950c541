// Attachments end to end through the built api and worker: files in the JSON body, stored once, sent as
// MIME parts the recipient's parser gets back byte for byte (non-ASCII names, an inline image), downloadable
// until the retention after the email's end has passed, then purged with a record in the history (410).
// And the body limits: larger for scheduling only, 413 past them (one email's: emails.int-spec.ts); 400 for
// content that is not base64.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { Pool } from 'pg';
import {
  AppProcess,
  createTestDatabase,
  freePort,
  SmtpSink,
  waitFor,
  type TestDatabase,
} from '@app/testing';

const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const REDIS_DB = 1;
const ADMIN_API_KEY = 'esk_attachments-e2e-admin-key-0123456789';
const RETENTION_MS = 3_000;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function redisUrl(): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

describe('attachments through api, worker and relay', () => {
  let database: TestDatabase;
  let redis: Redis;
  let sink: SmtpSink;
  let pool: Pool;
  let api: string;
  const running: AppProcess[] = [];

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; bytes: Buffer; json: () => unknown }> {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      json: () => JSON.parse(bytes.toString('utf8')) as unknown,
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_attachments');
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    sink = await SmtpSink.start();
    pool = new Pool({ connectionString: database.url, max: 2 });
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl(), ADMIN_API_KEY };
    running.push(
      ...(await Promise.all([
        AppProcess.start('api', { ...env, PORT: String(port) }),
        AppProcess.start('worker', {
          ...env,
          SMTP_URL: sink.url,
          METRICS_PORT: String(await freePort()),
          ATTACHMENT_RETENTION_MS: String(RETENTION_MS),
          ATTACHMENT_PURGE_INTERVAL_MS: '200',
        }),
      ])),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((app) => app.signal('SIGTERM')));
    await pool?.end();
    await sink?.stop();
    await redis?.flushdb();
    redis?.disconnect();
    await database?.drop();
  });

  it('sends the files byte for byte, serves them until the retention has passed, then purges them on record', async () => {
    const pdf = Buffer.from('%PDF-1.7\n\u00e4\u00f6\u00fc binary \u0000\u00ff tail', 'latin1');
    const text = Buffer.from('こんにちは、世界\n', 'utf8');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const scheduled = await call('POST', '/v1/emails', {
      from: 'Billing <billing@acme.example>',
      to: 'jane@example.com',
      subject: 'Your invoice',
      text: 'Attached.',
      html: '<p>Attached.</p><img src="cid:logo@acme.example">',
      attachments: [
        { filename: 'Überweisung ✓.pdf', content: pdf.toString('base64') },
        { filename: '日本語.txt', content: text.toString('base64'), contentType: 'text/plain' },
        { filename: 'logo.png', content: png.toString('base64'), contentId: 'logo@acme.example' },
      ],
    });
    expect(scheduled.status).toBe(201);
    const { id } = scheduled.json() as { id: string };

    const download = await call('GET', `/v1/emails/${id}/attachments/0`);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(sha256(pdf));
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('Überweisung ✓.pdf')}`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe('sandbox');
    expect((await call('GET', `/v1/emails/${id}/attachments/3`)).status).toBe(404);

    await waitFor('the email to reach the relay', () => sink.messages.length > 0, 15_000, 50);
    const mail = await simpleParser(sink.messages[0]?.raw ?? '', { skipImageLinks: true });
    expect(mail.html).toContain('src="cid:logo@acme.example"');
    // The inline image travels in the html's multipart/related, before the other files.
    const received = new Map(
      mail.attachments.map((a) => [
        a.filename,
        { contentType: a.contentType, sha256: sha256(a.content), cid: a.cid },
      ]),
    );
    expect(Object.fromEntries(received)).toEqual({
      'Überweisung ✓.pdf': { contentType: 'application/pdf', sha256: sha256(pdf), cid: undefined },
      '日本語.txt': { contentType: 'text/plain', sha256: sha256(text), cid: undefined },
      'logo.png': { contentType: 'image/png', sha256: sha256(png), cid: 'logo@acme.example' },
    });

    let history: { events: { type: string; data: Record<string, unknown> }[] } = { events: [] };
    await waitFor(
      'the attachments to be purged after the retention',
      async () => {
        history = (await call('GET', `/v1/emails/${id}/history`)).json() as typeof history;
        return history.events.some((e) => e.type === 'EmailAttachmentsPurged');
      },
      RETENTION_MS + 15_000,
      100,
    );
    expect(history.events[0]?.data.attachments).toEqual([
      expect.objectContaining({
        filename: 'Überweisung ✓.pdf',
        size: pdf.length,
        sha256: sha256(pdf),
      }),
      expect.objectContaining({ filename: '日本語.txt', size: text.length, sha256: sha256(text) }),
      expect.objectContaining({
        filename: 'logo.png',
        contentId: 'logo@acme.example',
        sha256: sha256(png),
      }),
    ]);
    expect(history.events.at(-1)).toMatchObject({
      type: 'EmailAttachmentsPurged',
      data: { retentionMs: RETENTION_MS, sha256: [sha256(pdf), sha256(text), sha256(png)] },
    });
    expect((await call('GET', `/v1/emails/${id}/attachments/0`)).status).toBe(410);
    await waitFor(
      'the bytes to leave the store',
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM attachments.contents',
        );
        return rows[0]?.n === 0;
      },
      5_000,
      50,
    );
  }, 60_000);

  it('replaces the files of a scheduled email on PATCH, the new bytes served, the old ones on record', async () => {
    const first = Buffer.from('first version of the report');
    const second = Buffer.from('second version of the report, longer');
    const scheduled = await call('POST', '/v1/emails', {
      from: 'billing@acme.example',
      to: 'jane@example.com',
      subject: 'Report',
      text: 'Attached.',
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
      attachments: [{ filename: 'report.txt', content: first.toString('base64') }],
    });
    expect(scheduled.status).toBe(201);
    const { id } = scheduled.json() as { id: string };
    const edited = await call(
      'PATCH',
      `/v1/emails/${id}`,
      { attachments: [{ filename: 'report-v2.txt', content: second.toString('base64') }] },
      { 'if-match': '"0"' },
    );
    expect(edited.status).toBe(200);
    const download = await call('GET', `/v1/emails/${id}/attachments/0`);
    expect(sha256(download.bytes)).toBe(sha256(second));
    const history = (await call('GET', `/v1/emails/${id}/history`)).json() as {
      events: { type: string; data: Record<string, unknown> }[];
    };
    expect(history.events.map((e) => e.type)).toEqual(['EmailScheduled', 'EmailContentEdited']);
    expect(history.events[0]?.data.attachments).toEqual([
      expect.objectContaining({ filename: 'report.txt', sha256: sha256(first) }),
    ]);
    expect(history.events[1]?.data.changes).toEqual({
      attachments: [
        {
          filename: 'report-v2.txt',
          contentType: 'text/plain',
          size: second.length,
          sha256: sha256(second),
        },
      ],
    });
    const removed = await call(
      'PATCH',
      `/v1/emails/${id}`,
      { attachments: null },
      { 'if-match': '"1"' },
    );
    expect(removed.status).toBe(200);
    expect((await call('GET', `/v1/emails/${id}/attachments/0`)).status).toBe(404);
    expect((await call('DELETE', `/v1/emails/${id}`)).status).toBe(200);
  }, 30_000);

  it('refuses content that is not base64 by its field, alone in a batch', async () => {
    const email = (content: string) => ({
      from: 'billing@acme.example',
      to: 'jane@example.com',
      subject: 'Hi',
      text: 'Hi',
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      attachments: [{ filename: 'a.txt', content }],
    });
    const single = await call('POST', '/v1/emails', email('not base64!'));
    expect(single.status).toBe(400);
    expect(JSON.stringify(single.json())).toContain('attachments[0].content');

    const batch = await call('POST', '/v1/emails/batch', {
      emails: [email('aGk='), email('aGk=\n')],
    });
    expect(batch.status).toBe(200);
    const { results } = batch.json() as { results: { status: number; error?: unknown }[] };
    expect(results.map((r) => r.status)).toEqual([201, 400]);
    expect(JSON.stringify(results[1]?.error)).toContain('attachments[0].content');
  });

  it('takes larger bodies on the scheduling routes only, and answers 413 past their limits', async () => {
    const padding = (bytes: number): string =>
      JSON.stringify({ emails: [], pad: 'x'.repeat(bytes) });
    expect((await call('POST', '/v1/emails/batch', padding(33 * 1024 * 1024))).status).toBe(413);
    // 2 MB: past the default limit, within the scheduling routes' (then refused for what it says).
    expect((await call('POST', '/v1/emails/batch', padding(2 * 1024 * 1024))).status).toBe(400);
    const elsewhere = await call('POST', '/v1/webhooks', padding(2 * 1024 * 1024));
    expect(elsewhere.status).toBe(413);
    expect(elsewhere.json()).toMatchObject({
      statusCode: 413,
      message: 'request body is too large',
    });
  });
});
