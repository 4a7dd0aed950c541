import { useSecurityHeaders } from '../common/security-headers';
import { startApi, type ApiHarness } from '../testing/api-harness';

let api: ApiHarness;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';

async function call(
  method: string,
  path: string,
  options: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; contentType: string | null; csp: string | null; text: string }> {
  const reply = await api.call(method, path, options);
  return {
    status: reply.status,
    contentType: reply.headers.get('content-type'),
    csp: reply.headers.get('content-security-policy'),
    text: reply.text,
  };
}

/** The value of one sample in the exposition text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const [series, value] = line.split(/ (?=[^ ]+$)/);
    if (Object.entries(labels).every(([k, v]) => series?.includes(`${k}="${v}"`))) {
      return Number(value);
    }
  }
  return 0;
}

async function scrape(): Promise<string> {
  const reply = await call('GET', '/metrics', { key: METRICS_TOKEN });
  expect(reply.status).toBe(200);
  return reply.text;
}

beforeAll(async () => {
  // As main.ts does: the Swagger UI must survive helmet's CSP.
  api = await startApi({
    name: 'metrics',
    configure: useSecurityHeaders,
    env: { METRICS_TOKEN },
  });
});

afterAll(async () => {
  await api?.close();
});

describe('GET /metrics', () => {
  it('answers the bearer of METRICS_TOKEN only', async () => {
    for (const key of [null, 'metrics-token-0123456789abcdef012345678X', api.adminKey]) {
      const reply = await call('GET', '/metrics', { key });
      expect({ key, status: reply.status }).toEqual({ key, status: 401 });
      expect(reply.text).not.toContain('http_requests_total');
    }
    const basic = await call('GET', '/metrics', {
      key: null,
      headers: { authorization: `Basic ${METRICS_TOKEN}` },
    });
    expect(basic.status).toBe(401);
  });

  it('speaks the Prometheus text format, with process metrics', async () => {
    const reply = await call('GET', '/metrics', { key: METRICS_TOKEN });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/plain.*version=0\.0\.4/);
    expect(reply.text).toContain('# TYPE http_requests_total counter');
    expect(reply.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(reply.text).toContain('# TYPE commands_total counter');
    expect(reply.text).toContain('process_cpu_user_seconds_total');
    expect(reply.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts a request by route template and status, and times it', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const labels = { method: 'GET', route: '/v1/emails/:id/history', status: '404' };
    const before = sample(await scrape(), 'http_requests_total', labels);
    expect((await call('GET', `/v1/emails/${id}/history`)).status).toBe(404);
    const after = await scrape();
    expect(sample(after, 'http_requests_total', labels)).toBe(before + 1);
    expect(sample(after, 'http_request_duration_seconds_count', labels)).toBe(before + 1);
    expect(after).not.toContain(id);
  });

  it('labels a request no route matched as unmatched, and a missing key as 401', async () => {
    const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
    const unauthorized = { method: 'POST', route: '/v1/emails', status: '401' };
    const before = await scrape();
    expect((await call('GET', '/no/such/path/123')).status).toBe(404);
    expect((await call('POST', '/v1/emails', { body: {}, key: null })).status).toBe(401);
    const after = await scrape();
    expect(sample(after, 'http_requests_total', unmatched)).toBe(
      sample(before, 'http_requests_total', unmatched) + 1,
    );
    expect(sample(after, 'http_requests_total', unauthorized)).toBe(
      sample(before, 'http_requests_total', unauthorized) + 1,
    );
    expect(after).not.toContain('/no/such/path');
  });

  it('counts commands by type and outcome', async () => {
    const ok = { command: 'ScheduleEmailCommand', outcome: 'ok' };
    const rejected = { command: 'ScheduleEmailCommand', outcome: 'rejected' };
    const before = await scrape();
    const email = {
      from: 'sender@example.com',
      to: ['alice@example.com'],
      subject: 'Hello',
      text: 'Hi there',
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    expect((await call('POST', '/v1/emails', { body: email })).status).toBe(201);
    // Well-typed, so it reaches the command, whose domain rules reject the address.
    expect((await call('POST', '/v1/emails', { body: { ...email, to: 'nope' } })).status).toBe(400);
    const after = await scrape();
    expect(sample(after, 'commands_total', ok)).toBe(sample(before, 'commands_total', ok) + 1);
    expect(sample(after, 'commands_total', rejected)).toBe(
      sample(before, 'commands_total', rejected) + 1,
    );
  });
});

describe('OpenAPI', () => {
  it('serves the Swagger UI at /docs without a key', async () => {
    const reply = await call('GET', '/docs', { key: null });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/html/);
    expect(reply.text).toContain('swagger-ui');
  });

  it("loads under helmet's CSP: same-origin scripts and styles, no upgrade to https", async () => {
    const page = await call('GET', '/docs', { key: null });
    expect(page.csp).toContain("script-src 'self'");
    expect(page.csp).not.toContain('upgrade-insecure-requests');
    // No inline script (script-src 'self' forbids it); every asset is ours and answers 200.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    const scripts = assets.filter((asset) => asset.endsWith('.js'));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets.filter((a) => /\.(js|css|png)$/.test(a))) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, `${api.baseUrl}/docs`);
      const reply = await call('GET', url.pathname, { key: null });
      expect({ asset, status: reply.status }).toEqual({ asset, status: 200 });
    }
  });

  it('serves the document at /docs-json, listing /v1/emails with the bearer scheme', async () => {
    const reply = await call('GET', '/docs-json', { key: null });
    expect(reply.status).toBe(200);
    const document = JSON.parse(reply.text) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      security: unknown[];
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/v1/emails']).toHaveProperty('post');
    expect(document.paths['/v1/emails/{id}/history']).toHaveProperty('get');
    expect(document.paths).not.toHaveProperty('/metrics');
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.security).toEqual([{ bearer: [] }]);
  });
});

describe('without METRICS_TOKEN, and with API_DOCS=false', () => {
  let bare: ApiHarness;

  beforeAll(async () => {
    bare = await startApi({ database: api.database, env: { API_DOCS: 'false' } });
  });

  afterAll(async () => {
    await bare?.close();
  });

  it('serves neither /metrics nor /docs', async () => {
    for (const path of ['/metrics', '/docs', '/docs-json']) {
      const reply = await bare.call('GET', path, { key: null });
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    }
    const withToken = await bare.call('GET', '/metrics', { key: METRICS_TOKEN });
    expect(withToken.status).toBe(404);
  });
});
