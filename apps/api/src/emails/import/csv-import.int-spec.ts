import { request as httpRequest, type Server } from 'node:http';
import { waitFor } from '@app/testing';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { Redis } from 'ioredis';
import { startApi, type ApiHarness } from '../../testing/api-harness';
import { CsvImportLimits } from './csv-import.service';
import { importSlotsKey } from './import-slots';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface ImportBody {
  readonly accepted: number;
  readonly rejected: number;
  readonly rows: readonly {
    readonly row: number;
    readonly status: number;
    readonly errors?: readonly { field: string; reason: string }[];
  }[];
  readonly ids: readonly { readonly row: number; readonly id: string }[];
}

let api: ApiHarness;
let limits: CsvImportLimits;
let defaults: CsvImportLimits;

const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

async function upload(
  csv: string,
  options: { from?: string; field?: string; key?: string } = {},
): Promise<Reply> {
  const form = new FormData();
  if (options.from !== undefined) form.append('from', options.from);
  form.append(options.field ?? 'file', new Blob([csv], { type: 'text/csv' }), 'emails.csv');
  return send(form, options.key);
}

async function send(body: FormData | string, key?: string): Promise<Reply> {
  const payload = typeof body === 'string' ? { raw: body } : { form: body };
  const { status, body: json } = await api.call('POST', '/v1/emails/import', {
    ...payload,
    key,
    timeoutMs: 120_000,
  });
  return { status, body: json };
}

const eventCount = (): Promise<number> => api.eventCount();

async function history(id: string): Promise<{ state: Record<string, unknown>; events: unknown[] }> {
  const reply = await api.call('GET', `/v1/emails/${id}/history`);
  expect(reply.status).toBe(200);
  return reply.body as { state: Record<string, unknown>; events: unknown[] };
}

function rows(count: number, from = 'sender@example.com'): string {
  const sendAt = inAnHour();
  const lines = ['from,to,subject,text,sendAt,tags'];
  for (let i = 1; i <= count; i += 1) {
    lines.push(`${from},user${i}@example.com,Hello ${i},Body ${i},${sendAt},bulk`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  api = await startApi({ name: 'csv_import' });
  limits = api.app.get(CsvImportLimits);
  defaults = { ...limits };
});

afterEach(() => {
  Object.assign(limits, defaults);
});

afterAll(async () => {
  await api?.close();
});

describe('POST /v1/emails/import', () => {
  it('schedules every good row; the history of each shows it', async () => {
    const sendAt = inAnHour();
    const csv = [
      'to,cc,subject,text,html,sendAt,tags,from',
      `a@example.com;b@example.com,c@example.com,First,Hi,,${sendAt},x;y,me@example.com`,
      `Jo Doe <jo@example.com>,,"Second, quoted","line 1\nline 2",<p>Hi</p>,${sendAt},,me@example.com`,
    ].join('\r\n');
    const reply = await upload(csv);
    expect(reply.status).toBe(200);
    const body = reply.body as unknown as ImportBody;
    expect(body).toMatchObject({ accepted: 2, rejected: 0, rows: [] });
    expect(body.ids.map((entry) => entry.row)).toEqual([1, 2]);

    const first = await history(body.ids[0]!.id);
    expect(first.events).toEqual([expect.objectContaining({ type: 'EmailScheduled' })]);
    expect(first.state).toMatchObject({ status: 'scheduled' });
    const second = await history(body.ids[1]!.id);
    expect(JSON.stringify(second.state)).toContain('line 1\\nline 2');
    expect(JSON.stringify(second.state)).toContain('Second, quoted');
  });

  it('reports a bad row by number and schedules the others', async () => {
    const before = await eventCount();
    const sendAt = inAnHour();
    const csv = [
      'from,to,subject,text,sendAt',
      `me@example.com,ok1@example.com,One,Hi,${sendAt}`,
      `me@example.com,not-an-address,Two,Hi,${sendAt}`,
      `me@example.com,ok3@example.com,,Hi,${sendAt}`,
      `me@example.com,ok4@example.com,Four,Hi,yesterday`,
      `me@example.com,ok5@example.com,Five,Hi,${sendAt}`,
    ].join('\n');
    const reply = await upload(csv);
    expect(reply.status).toBe(200);
    const body = reply.body as unknown as ImportBody;
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(3);
    expect(body.ids.map((entry) => entry.row)).toEqual([1, 5]);
    expect(body.rows.map((row) => [row.row, row.status])).toEqual([
      [2, 400],
      [3, 400],
      [4, 400],
    ]);
    expect(body.rows[0]!.errors?.[0]?.field).toMatch(/^to/);
    expect(body.rows[1]!.errors).toEqual([{ field: 'subject', reason: 'is required' }]);
    expect(body.rows[2]!.errors?.[0]?.field).toBe('sendAt');
    expect((await eventCount()) - before).toBe(2);
  });

  it('reads timeZone, expiresAt and the four window columns; a partial window or a bad part names its column', async () => {
    const before = await eventCount();
    const local = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16); // wall-clock, no offset
    const expiresAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const head =
      'from,to,subject,text,sendAt,timeZone,expiresAt,windowTimeZone,windowDays,windowStart,windowEnd';
    const csv = [
      head,
      `me@example.com,a@example.com,One,Hi,${local},Asia/Kolkata,${expiresAt},Asia/Kolkata,mon tue wed thu fri sat sun,00:00,23:59`,
      `me@example.com,b@example.com,Two,Hi,${local},Asia/Kolkata,,Asia/Kolkata,mon,09:00,`,
      `me@example.com,c@example.com,Three,Hi,${local},Asia/Kolkata,,Europe/Paris,mon,25:00,10:00`,
      `me@example.com,d@example.com,Four,Hi,${local},Asia/Calcutta_,,,,,`,
    ].join('\n');
    const reply = await upload(csv);
    expect(reply.status).toBe(200);
    const body = reply.body as unknown as ImportBody;
    expect(body.ids.map((entry) => entry.row)).toEqual([1]);
    expect(body.rows).toEqual([
      { row: 2, status: 400, errors: [expect.objectContaining({ field: 'windowEnd' })] },
      { row: 3, status: 400, errors: [expect.objectContaining({ field: 'windowStart' })] },
      { row: 4, status: 400, errors: [expect.objectContaining({ field: 'timeZone' })] },
    ]);
    const { state } = await history(body.ids[0]!.id);
    expect(state).toMatchObject({
      email: {
        timeZone: 'Asia/Kolkata',
        localSendAt: local,
        // India keeps +05:30 all year.
        sendAt: new Date(Date.parse(`${local}:00+05:30`)).toISOString(),
        expiresAt,
        deliveryWindow: {
          timeZone: 'Asia/Kolkata',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          start: '00:00',
          end: '23:59',
        },
      },
    });
    expect((await eventCount()) - before).toBe(1);
  });

  it('takes the sender from the form field when rows have none', async () => {
    const reply = await upload(`to,subject,text\nx@example.com,Hi,Body\n`, {
      from: 'form@example.com',
    });
    expect(reply.status).toBe(200);
    const body = reply.body as unknown as ImportBody;
    expect(body.accepted).toBe(1);
    expect(JSON.stringify((await history(body.ids[0]!.id)).state)).toContain('form@example.com');
  });

  it.each([
    ['an unknown column', 'to,subject,from,body\na@example.com,S,me@example.com,x\n', /body/],
    ['a missing required column', 'to,from\na@example.com,me@example.com\n', /subject/],
    ['no sender at all', 'to,subject\na@example.com,S\n', /from/],
    ['an empty file', '', /empty/],
    ['an unclosed quote', 'to,subject,from\n"a@example.com,S,me@example.com\n', /row 1: .*Quote/],
    ['a wrong column count', 'to,subject,from\na@example.com,S\n', /row 1: expected 3 fields/],
  ])('answers 400 for %s and writes nothing', async (_name, csv, message) => {
    const before = await eventCount();
    const reply = await upload(csv);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
    expect(await eventCount()).toBe(before);
  });

  it('stops at a malformed row in the middle, reporting what was already scheduled', async () => {
    const csv = `${rows(3)}broken,row\n${rows(2).split('\n').slice(1).join('\n')}`;
    const reply = await upload(csv);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/row 4/);
    expect(reply.body.details).toMatchObject({ row: 4, accepted: 3, rejected: 0 });
  });

  it('answers 400 to a body that is not multipart, or has no file part', async () => {
    const before = await eventCount();
    expect((await send(JSON.stringify({ to: 'a@example.com' }))).status).toBe(400);
    const noFile = await upload(rows(1), { field: 'attachment' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toMatch(/file/);
    expect(await eventCount()).toBe(before);
  });

  it('needs an API key', async () => {
    expect((await upload(rows(1), { key: 'wrong' })).status).toBe(401);
  });

  it('stops past the row cap and reports what was scheduled', async () => {
    limits.maxRows = 3;
    const before = await eventCount();
    const reply = await upload(rows(10));
    expect(reply.status).toBe(413);
    expect(reply.body.message).toMatch(/more than 3 data rows/);
    expect(reply.body.details).toMatchObject({ row: 4, accepted: 3 });
    expect((await eventCount()) - before).toBe(3);
  });

  it('stops past the file size cap', async () => {
    limits.maxFileBytes = 2_000;
    const reply = await upload(rows(100));
    expect(reply.status).toBe(413);
    expect(reply.body.message).toMatch(/larger than 2000 bytes/);
  });

  it('imports 20,000 rows while the server keeps answering /health/live', async () => {
    const before = await eventCount();
    const csv = rows(20_000);
    let done = false;
    let slowest = 0;
    let probes = 0;
    const probe = async (): Promise<void> => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${api.baseUrl}/health/live`, {
          signal: AbortSignal.timeout(1_000),
        });
        await response.arrayBuffer();
        expect(response.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - started);
        probes += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const probing = probe();
    const started = performance.now();
    const reply = await upload(csv).finally(() => {
      done = true;
    });
    const elapsed = performance.now() - started;
    await probing;
    expect(reply.status).toBe(200);
    const body = reply.body as unknown as ImportBody;
    expect(body.accepted).toBe(20_000);
    expect(body.rejected).toBe(0);
    expect(new Set(body.ids.map((entry) => entry.id)).size).toBe(20_000);
    expect((await eventCount()) - before).toBe(20_000);
    expect(probes).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(1_000);
    process.stdout.write(
      `csv import: 20,000 rows in ${Math.round(elapsed)} ms; slowest /health/live ${Math.round(slowest)} ms over ${probes} probes\n`,
    );
  }, 180_000);

  describe('bounds on the upload itself', () => {
    const BOUNDARY = 'csv-import-test-boundary';

    /**
     * A multipart upload that sends its part's headers and the CSV header, then one byte every
     * 100 ms and never finishes; `answer` settles with the status, body and whether the server
     * closed the connection.
     */
    function dribble(key: string): {
      answer: Promise<{ status: number; body: Record<string, unknown>; closed: boolean }>;
      abort(): void;
    } {
      const url = new URL('/v1/emails/import', api.baseUrl);
      const request = httpRequest(url, {
        agent: false, // a connection of its own: never one an earlier test left behind
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
      });
      request.on('error', () => undefined); // the abort, or the server closing on us
      request.write(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\nfrom,to,subject,text,sendAt\r\n`,
      );
      const ticker = setInterval(() => request.write('x'), 100);
      const answer = new Promise<{
        status: number;
        body: Record<string, unknown>;
        closed: boolean;
      }>((resolve, reject) => {
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => {
            const socket = request.socket;
            const closed = new Promise<boolean>((done) => {
              if (socket === null || socket.destroyed) done(true);
              socket?.once('close', () => done(true));
              setTimeout(() => done(false), 2_000);
            });
            void closed.then((wasClosed) => {
              clearInterval(ticker);
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(text) as Record<string, unknown>,
                closed: wasClosed,
              });
            });
          });
        });
        request.on('close', () => clearInterval(ticker));
        request.on('error', reject);
      });
      answer.catch(() => undefined);
      return {
        answer,
        abort: () => {
          clearInterval(ticker);
          request.destroy();
        },
      };
    }

    it('answers 413 naming the parts to a form with too many of them, writing nothing', async () => {
      const before = await eventCount();
      const form = new FormData();
      for (let i = 0; i < 20; i += 1) form.append(`field${i}`, 'x');
      form.append('file', new Blob([rows(1)], { type: 'text/csv' }), 'emails.csv');
      const reply = await send(form);
      expect(reply.status).toBe(413);
      expect(reply.body.message).toMatch(/more than 8 parts/);
      expect(await eventCount()).toBe(before);
    });

    it('answers 413 to a request larger than the file cap and the form around it', async () => {
      limits.maxFileBytes = 1_000;
      limits.maxFormOverheadBytes = 1_000;
      // Bytes before the first boundary: busboy skips them, so only the request's count stops them.
      const body = `${'x'.repeat(5_000)}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${rows(1)}\r\n--${BOUNDARY}--\r\n`;
      const reply = await api.call('POST', '/v1/emails/import', {
        raw: body,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      expect(reply.status).toBe(413);
      expect(reply.body.message).toMatch(/request is larger than 2000 bytes/);
    });

    it("leaves the answer to the import's own bound: Node's request timeout lies past IMPORT_TIMEOUT_MS", () => {
      // Node's default (5 minutes) would cut a 10-minute import off with a bare 408, losing its report.
      const { importTimeoutMs } = api.app.get<AppConfig>(APP_CONFIG);
      const server = api.app.getHttpServer() as Server;
      expect(server.requestTimeout).toBeGreaterThan(importTimeoutMs);
    });

    it('cuts off a slow upload at the time bound with 408, and closes the connection', async () => {
      limits.timeoutMs = 1_000;
      const started = performance.now();
      const upload = dribble(api.adminKey ?? '');
      const reply = await upload.answer;
      expect(reply.status).toBe(408);
      expect(reply.body.message).toMatch(/took longer than 1000 ms/);
      expect(reply.closed).toBe(true);
      expect(performance.now() - started).toBeLessThan(4_000);
    });

    it('refuses one import more than IMPORTS_PER_KEY with 429 and Retry-After; other keys go on', async () => {
      limits.perKey = 1;
      const created = await api.call('POST', '/v1/admin/api-keys', {
        body: { role: 'admin', name: 'other importer' },
      });
      expect(created.status).toBe(201);
      const other = { key: String(created.body.key), id: String(created.body.id) };

      const held = dribble(other.key);
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
      try {
        await waitFor(
          "the slow upload to hold its key's slot",
          async () => (await redis.zcard(importSlotsKey(other.id))) === 1,
          5_000,
          20,
        );
        const form = new FormData();
        form.append('file', new Blob([rows(1)], { type: 'text/csv' }), 'a.csv');
        const refused = await api.call('POST', '/v1/emails/import', { form, key: other.key });
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe(String(limits.retryAfterSeconds));
        expect(refused.body.message).toMatch(/already has 1 CSV imports in flight/);

        expect((await upload(rows(1))).status).toBe(200); // another key: unaffected
      } finally {
        held.abort();
        redis.disconnect();
      }
      // The client went away: its slot is free at once, not at the time bound.
      await waitFor(
        'the slot to be given back',
        async () => (await upload(rows(1), { key: other.key })).status === 200,
        5_000,
        50,
      );
    }, 20_000);
  });
});
