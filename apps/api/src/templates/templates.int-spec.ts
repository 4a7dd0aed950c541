// Templates through HTTP on the real api and Postgres: versions, drafts, publish, preview, tenants kept
// apart, and scheduling with a template by every way in (one email, a batch item, a CSV row), where the
// version is pinned: the email's history keeps what was rendered when it was scheduled.
import { randomUUID } from 'node:crypto';
import { startApi, type ApiHarness, type ApiReply } from '../testing/api-harness';

const REDIS_URL = process.env.TEMPLATES_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const DOMAIN = 'templates.example';
const FROM = `news@${DOMAIN}`;

type Body = Record<string, unknown> & {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly status: string;
  readonly subject: string;
  readonly text?: string | null;
  readonly html?: string | null;
  readonly message: string;
  readonly latestVersion: number;
  readonly publishedVersion: number | null;
  readonly versions: readonly { readonly version: number; readonly status: string }[];
  readonly items: readonly { readonly id: string }[];
  readonly nextCursor: string | null;
  readonly details: readonly { readonly field: string; readonly reason: string }[];
  readonly results: readonly {
    readonly status: number;
    readonly id?: string;
    readonly error?: { readonly details?: readonly { field: string }[] };
  }[];
  readonly ids: readonly { readonly row: number; readonly id: string }[];
  readonly rows: readonly { readonly row: number; readonly errors: readonly { field: string }[] }[];
  readonly events: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
};

let api: ApiHarness<Body>;
let acme: string;
let globex: string;

const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

async function mintSender(tenantId: string): Promise<string> {
  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId },
  });
  expect(minted.status).toBe(201);
  const domains = await api.call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
    body: { domains: [DOMAIN] },
  });
  expect(domains.status).toBe(200);
  return minted.body.key;
}

const call = (
  method: string,
  path: string,
  body?: unknown,
  key: string = acme,
): Promise<ApiReply<Body>> =>
  api.call(method, path, { key, ...(body === undefined ? {} : { body }) });

/** A template of acme's with version 1 published. */
async function publishedTemplate(source: Record<string, unknown>): Promise<string> {
  const created = await call('POST', '/v1/templates', { name: 'receipt', ...source });
  expect(created.status).toBe(201);
  const published = await call('POST', `/v1/templates/${created.body.id}/versions/1/publish`);
  expect(published.status).toBe(200);
  return created.body.id;
}

const email = (template: Record<string, unknown>): Record<string, unknown> => ({
  from: FROM,
  to: 'alice@example.com',
  sendAt: inAnHour(),
  template,
});

function fields(reply: ApiReply<Body>): string[] {
  return reply.body.details.map((issue) => issue.field);
}

beforeAll(async () => {
  api = await startApi<Body>({ name: 'templates', env: { REDIS_URL } });
  acme = await mintSender('tpl-acme');
  globex = await mintSender('tpl-globex');
});

afterAll(() => api?.close());

describe('/v1/templates', () => {
  it('creates a draft, edits it, publishes it, and then refuses to change it (in SQL too)', async () => {
    const created = await call('POST', '/v1/templates', {
      name: 'welcome',
      subject: 'Hi {{ name }}',
      text: 'Hello {{ name }}',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'welcome',
      latestVersion: 1,
      publishedVersion: null,
      versions: [{ version: 1, status: 'draft', subject: 'Hi {{ name }}', html: null }],
    });
    const { id } = created.body;

    const edited = await call('PATCH', `/v1/templates/${id}/versions/1`, {
      html: '<p>Hello {{ name }}</p>',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      subject: 'Hi {{ name }}',
      html: '<p>Hello {{ name }}</p>',
    });

    expect((await call('POST', `/v1/templates/${id}/versions/1/publish`)).body).toMatchObject({
      status: 'published',
    });
    const again = await call('POST', `/v1/templates/${id}/versions/1/publish`);
    expect(again.status).toBe(409);
    const refused = await call('PATCH', `/v1/templates/${id}/versions/1`, { subject: 'Changed' });
    expect(refused.status).toBe(409);
    // The store keeps a published version as it is whatever query runs, not only the api's.
    await expect(
      api.sql.query(`UPDATE templates.versions SET subject = 'x' WHERE template_id = $1`, [id]),
    ).rejects.toThrow(/published and cannot change/);

    const v2 = await call('POST', `/v1/templates/${id}/versions`, {
      subject: 'Hey {{ name }}',
      text: 'v2',
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'draft' });
    expect((await call('GET', `/v1/templates/${id}/versions/1`)).body.subject).toBe(
      'Hi {{ name }}',
    );
    expect((await call('GET', `/v1/templates/${id}`)).body).toMatchObject({
      latestVersion: 2,
      publishedVersion: 1,
      versions: [{ version: 1 }, { version: 2 }],
    });
  });

  it('refuses bad syntax and other files at save, naming the part', async () => {
    const bad = await call('POST', '/v1/templates', { name: 'x', subject: 'ok', html: '{% if %}' });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['html']);
    const include = await call('POST', '/v1/templates', {
      name: 'x',
      subject: 'ok',
      text: "{% include 'secrets' %}",
    });
    expect(include.status).toBe(400);
    expect(include.body.details).toEqual([
      { field: 'text', reason: expect.stringContaining('{% include %} is not allowed') as unknown },
    ]);
    const noBody = await call('POST', '/v1/templates', { name: 'x', subject: 'ok' });
    expect(fields(noBody)).toEqual(['text']);
  });

  it('previews drafts and published versions, html escaped', async () => {
    const created = await call('POST', '/v1/templates', {
      name: 'preview',
      subject: 'For {{ who }}',
      html: '<b>{{ who }}</b>',
    });
    const { id } = created.body;
    const draft = await call('POST', `/v1/templates/${id}/preview`, {
      version: 1,
      variables: { who: '<i>Bob</i>' },
    });
    expect(draft.status).toBe(200);
    expect(draft.body).toEqual({
      subject: 'For <i>Bob</i>',
      html: '<b>&lt;i&gt;Bob&lt;/i&gt;</b>',
    });
    const missing = await call('POST', `/v1/templates/${id}/preview`, {
      version: 1,
      variables: {},
    });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['template.variables.who']);
    // Nothing published yet: preview needs a version.
    expect((await call('POST', `/v1/templates/${id}/preview`, { variables: {} })).status).toBe(400);
  });

  it("keeps tenants apart: another tenant's template is 404, and cannot be scheduled with", async () => {
    const id = await publishedTemplate({ subject: 'Private', text: 'x' });
    for (const [method, path] of [
      ['GET', `/v1/templates/${id}`],
      ['GET', `/v1/templates/${id}/versions/1`],
      ['POST', `/v1/templates/${id}/versions/1/publish`],
      ['DELETE', `/v1/templates/${id}`],
    ] as const) {
      expect((await call(method, path, undefined, globex)).status).toBe(404);
    }
    expect((await call('POST', `/v1/templates/${id}/preview`, { version: 1 }, globex)).status).toBe(
      404,
    );
    const list = await call('GET', '/v1/templates', undefined, globex);
    expect(list.body.items.map((t) => t.id)).not.toContain(id);
    const scheduled = await call('POST', '/v1/emails', email({ id, variables: {} }), globex);
    expect(scheduled.status).toBe(400);
    expect(fields(scheduled)).toEqual(['template.id']);
  });

  it('pages the list newest first', async () => {
    const ids = [];
    for (let i = 0; i < 3; i += 1)
      ids.push(await publishedTemplate({ subject: `s${i}`, text: 't' }));
    const first = await call('GET', '/v1/templates?limit=2');
    expect(first.body.items.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    const second = await call('GET', `/v1/templates?limit=2&cursor=${first.body.nextCursor ?? ''}`);
    expect(second.body.items[0]?.id).toBe(ids[0]);
  });
});

describe('scheduling with a template', () => {
  it('pins the version: an email scheduled with v1 keeps v1 after v2 is published', async () => {
    const id = await publishedTemplate({ subject: 'Order {{ n }}', html: '<p>{{ note }}</p>' });
    const body = email({ id, variables: { n: 7, note: 'a < b' } });
    const idempotencyKey = `pinned-${randomUUID()}`;
    const keyed = (): Promise<ApiReply<Body>> =>
      api.call('POST', '/v1/emails', {
        key: acme,
        body,
        headers: { 'idempotency-key': idempotencyKey },
      });
    const scheduled = await keyed();
    expect(scheduled.status).toBe(201);
    await call('POST', `/v1/templates/${id}/versions`, { subject: 'CHANGED {{ n }}', text: 'v2' });
    await call('POST', `/v1/templates/${id}/versions/2/publish`);
    // Deleting the template leaves what was scheduled as it was.
    expect((await call('DELETE', `/v1/templates/${id}`)).status).toBe(204);
    // A repeat of the keyed request is answered with the email it made, though its template is gone.
    const repeat = await keyed();
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(scheduled.body.id);

    const history = await call('GET', `/v1/emails/${scheduled.body.id}/history`);
    expect(history.body.events[0]).toMatchObject({
      type: 'EmailScheduled',
      data: {
        subject: 'Order 7',
        html: '<p>a &lt; b</p>',
        template: { id, version: 1, variables: { n: 7, note: 'a < b' } },
      },
    });
    const after = await call('POST', '/v1/emails', email({ id, variables: { n: 1, note: '' } }));
    expect(after.status).toBe(400);
    expect(fields(after)).toEqual(['template.id']);
  });

  it('re-renders new variables on PATCH at the version the email pinned, not a later one', async () => {
    const id = await publishedTemplate({ subject: 'Order {{ n }}', text: 'Note: {{ note }}' });
    const scheduled = await call(
      'POST',
      '/v1/emails',
      email({ id, variables: { n: 1, note: 'a' } }),
    );
    expect(scheduled.status).toBe(201);
    await call('POST', `/v1/templates/${id}/versions`, { subject: 'CHANGED {{ n }}', text: 'v2' });
    await call('POST', `/v1/templates/${id}/versions/2/publish`);
    const patch = (body: unknown, ifMatch = '"0"'): Promise<ApiReply<Body>> =>
      api.call('PATCH', `/v1/emails/${scheduled.body.id}`, {
        key: acme,
        body,
        headers: { 'if-match': ifMatch },
      });

    expect(fields(await patch({ template: { variables: { n: 2 } } }))).toEqual([
      'template.variables.note',
    ]);
    expect(
      fields(await patch({ subject: 'x', template: { variables: { n: 2, note: 'b' } } })),
    ).toEqual(['template']);
    expect((await patch({ template: { variables: { n: 2, note: 'b' } } })).status).toBe(200);

    const history = await call('GET', `/v1/emails/${scheduled.body.id}/history`);
    expect(history.body.events[1]).toMatchObject({
      type: 'EmailContentEdited',
      data: {
        changes: {
          subject: 'Order 2',
          text: 'Note: b',
          template: { id, version: 1, variables: { n: 2, note: 'b' } },
        },
      },
    });
    const literal = await call('POST', '/v1/emails', {
      from: `news@${DOMAIN}`,
      to: 'ann@example.com',
      subject: 'Plain',
      text: 'x',
      sendAt: inAnHour(),
    });
    const untemplated = await api.call('PATCH', `/v1/emails/${literal.body.id}`, {
      key: acme,
      body: { template: { variables: {} } },
      headers: { 'if-match': '"0"' },
    });
    expect(fields(untemplated)).toEqual(['template']);
  });

  it('uses the latest published version when none is named, and refuses a draft one', async () => {
    const id = await publishedTemplate({ subject: 'One', text: 'x' });
    await call('POST', `/v1/templates/${id}/versions`, { subject: 'Two', text: 'x' });
    const latest = await call('POST', '/v1/emails', email({ id, variables: {} }));
    expect(latest.status).toBe(201);
    const history = await call('GET', `/v1/emails/${latest.body.id}/history`);
    expect(history.body.events[0]?.data).toMatchObject({
      subject: 'One',
      template: { version: 1 },
    });
    const draft = await call('POST', '/v1/emails', email({ id, version: 2, variables: {} }));
    expect(draft.status).toBe(400);
    expect(fields(draft)).toEqual(['template.version']);
  });

  it('refuses a missing variable (400), a literal subject too (400), a render over its limits (422)', async () => {
    const id = await publishedTemplate({
      subject: 'Hi {{ user.name }}',
      text: '{% for i in (1..100000000) %}{{ i }}{% endfor %}{{ bomb }}',
    });
    const before = await api.eventCount();
    const missing = await call('POST', '/v1/emails', email({ id, variables: { user: {} } }));
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['template.variables.user.name']);
    const both = await call('POST', '/v1/emails', {
      ...email({ id, variables: { user: { name: 'A' } } }),
      subject: 'Literal',
    });
    expect(both.status).toBe(400);
    expect(fields(both)).toEqual(['template']);
    const bomb = await call(
      'POST',
      '/v1/emails',
      email({ id, variables: { user: { name: 'A' } } }),
    );
    expect(bomb.status).toBe(422);
    expect(bomb.body.message).toMatch(/does not render: .*limit exceeded/);
    expect(await api.eventCount()).toBe(before);
    const noSubject = await call('POST', '/v1/emails', {
      from: FROM,
      to: 'a@example.com',
      text: 'x',
    });
    expect(fields(noSubject)).toEqual(['subject']);
  });

  it('renders per batch item and per CSV row, each refused on its own', async () => {
    const id = await publishedTemplate({ subject: 'Dear {{ name }}', text: 'Code {{ code }}' });
    const batch = await call('POST', '/v1/emails/batch', {
      emails: [
        email({ id, variables: { name: 'Ann', code: '1' } }),
        email({ id, variables: { name: 'Bob' } }),
        email({ id: randomUUID(), variables: {} }),
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r) => r.status)).toEqual([201, 400, 400]);
    expect(batch.body.results[1]?.error?.details?.map((d) => d.field)).toEqual([
      'template.variables.code',
    ]);
    const first = await call('GET', `/v1/emails/${batch.body.results[0]?.id ?? ''}/history`);
    expect(first.body.events[0]?.data).toMatchObject({ subject: 'Dear Ann', text: 'Code 1' });

    const csv = [
      'from,to,templateId,templateVersion,var.name,var.code',
      `${FROM},c@example.com,${id},1,Cy,42`,
      `${FROM},d@example.com,${id},,Di,`,
      `${FROM},e@example.com,${id},9,Ed,1`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([`${csv}\n`], { type: 'text/csv' }), 'emails.csv');
    const imported = await api.call('POST', '/v1/emails/import', { key: acme, form });
    expect(imported.status).toBe(200);
    expect(imported.body.ids.map((r) => r.row)).toEqual([1, 2]);
    expect(imported.body.rows).toEqual([
      expect.objectContaining({
        row: 3,
        errors: [expect.objectContaining({ field: 'templateVersion' })],
      }),
    ]);
    const row1 = await call('GET', `/v1/emails/${imported.body.ids[0]?.id ?? ''}/history`);
    expect(row1.body.events[0]?.data).toMatchObject({
      subject: 'Dear Cy',
      text: 'Code 42',
      template: { id, version: 1, variables: { name: 'Cy', code: '42' } },
    });
  });
});
