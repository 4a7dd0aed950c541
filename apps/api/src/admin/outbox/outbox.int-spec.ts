import { Pool } from 'pg';
import { CaughtMailStore } from '@app/caught-mail';
import { startApi, TEST_ADMIN_KEY as ADMIN_KEY, type ApiHarness } from '../../testing/api-harness';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

let api: ApiHarness;
let pool: Pool;
let store: CaughtMailStore;
let senderKey: string;

async function call(
  method: string,
  path: string,
  key: string | null = ADMIN_KEY,
  body?: unknown,
): Promise<Reply> {
  const reply = await api.call(method, path, { key, body, timeoutMs: 10_000 });
  return { status: reply.status, body: reply.body };
}

function message(n: number): Buffer {
  return Buffer.from(
    [
      'From: Ada <ada@example.com>',
      'To: bob@example.com',
      `Subject: =?UTF-8?Q?Hello_n=C2=B0${n}?=`,
      `Message-ID: <m${n}@example.com>`,
      '',
      `Body ${n}`,
    ].join('\r\n'),
  );
}

beforeAll(async () => {
  // No REDIS_URL: the api runs on parseConfig's default.
  api = await startApi({ name: 'outbox', env: { REDIS_URL: undefined } });
  pool = new Pool({ connectionString: api.database.url });
  store = new CaughtMailStore(pool);
  const minted = await call('POST', '/v1/admin/api-keys', ADMIN_KEY, {
    role: 'sender',
    tenantId: 'acme',
  });
  expect(minted.status).toBe(201);
  senderKey = String(minted.body.key);
});

afterAll(async () => {
  await pool?.end();
  await api?.close();
});

describe('GET /v1/admin/outbox', () => {
  it('answers an empty list, not 500, while the catcher never ran on this database', async () => {
    expect(await call('GET', '/v1/admin/outbox')).toEqual({
      status: 200,
      body: { items: [], nextCursor: null },
    });
    const one = await call('GET', `/v1/admin/outbox/${crypto.randomUUID()}`);
    expect(one.status).toBe(404);
  });

  it('lists caught messages newest first, a page at a time', async () => {
    await store.migrate();
    for (const n of [1, 2, 3]) {
      await store.store({
        envelopeFrom: 'ada@example.com',
        envelopeTo: ['bob@example.com', 'hidden@example.com'],
        raw: message(n),
        size: message(n).length,
      });
    }

    const first = await call('GET', '/v1/admin/outbox?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        id: expect.any(String) as unknown,
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        from: 'ada@example.com',
        to: ['bob@example.com', 'hidden@example.com'],
        messageId: '<m3@example.com>',
        subject: 'Hello n°3',
        size: message(3).length,
      },
      expect.objectContaining({ messageId: '<m2@example.com>' }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await call(
      'GET',
      `/v1/admin/outbox?limit=2&cursor=${String(first.body.nextCursor)}`,
    );
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ messageId: '<m1@example.com>' })],
      nextCursor: null,
    });
  });

  it('returns one message with its headers and raw text', async () => {
    const list = await call('GET', '/v1/admin/outbox?limit=1');
    const [newest] = list.body.items as { id: string }[];
    const one = await call('GET', `/v1/admin/outbox/${newest?.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: newest?.id,
      messageId: '<m3@example.com>',
      headers: { from: 'Ada <ada@example.com>', to: 'bob@example.com' },
      raw: message(3).toString(),
      rawTruncated: false,
    });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the field for ?%s', async (query, field) => {
    const reply = await call('GET', `/v1/admin/outbox?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
    expect((await call('GET', '/v1/admin/outbox/not-a-uuid')).status).toBe(400);
    expect((await call('GET', `/v1/admin/outbox/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it.each<[string, number, () => string | null]>([
    ['no key', 401, () => null],
    ['an unknown key', 401, () => 'esk_unknown'],
    ['a sender key', 403, () => senderKey],
    ['an admin key', 200, () => ADMIN_KEY],
  ])('with %s answers %i', async (_, status, key) => {
    expect((await call('GET', '/v1/admin/outbox', key())).status).toBe(status);
    const one = await call('GET', `/v1/admin/outbox/${crypto.randomUUID()}`, key());
    expect(one.status).toBe(status === 200 ? 404 : status);
  });
});
