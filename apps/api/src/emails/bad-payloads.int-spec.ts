import fc from 'fast-check';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';
import { badEmailRequests, isJson, type BadRequest, type Payload } from '@app/testing';

// Thousands of generated bad POST /v1/emails bodies (badEmailRequests, @app/testing): every one must
// answer 4xx (never 5xx) and none may append an event.
// FAST_CHECK_RUNS raises the count (say 20000 for a soak); FAST_CHECK_SEED replays a failure.

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 2000);
const SEED =
  process.env.FAST_CHECK_SEED === undefined ? undefined : Number(process.env.FAST_CHECK_SEED);

let api: ApiHarness;
const validEmail = (): Payload => emailBody();
const badRequest = badEmailRequests(validEmail);

// ---- the harness --------------------------------------------------------------------------------

async function post(request: BadRequest): Promise<{ status: number; body: unknown }> {
  const [contentType, payload] =
    request.kind === 'json'
      ? ['application/json', JSON.stringify(request.body)]
      : [request.contentType, request.text];
  const reply = await api.call('POST', '/v1/emails', {
    raw: payload,
    headers: { 'content-type': contentType },
  });
  return { status: reply.status, body: isJson(reply.text) ? JSON.parse(reply.text) : reply.text };
}

const eventCount = (): Promise<number> => api.eventCount();

beforeAll(async () => {
  api = await startApi({
    name: 'bad_payloads',
    env: { API_RATE_LIMIT: '100000000' },
    http: { openApi: false },
  });
});

afterAll(async () => {
  await api?.close();
});

describe('POST /v1/emails with generated bad payloads', () => {
  it('accepts the unbroken base payload (so the mutations, not the base, are what fail)', async () => {
    const reply = await post({ kind: 'json', body: validEmail() });
    expect(reply.status).toBe(201);
  });

  it(`answers 4xx in the error shape to ${RUNS} bad payloads and appends no event`, async () => {
    const before = await eventCount();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(badRequest, async (request) => {
        const reply = await post(request);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
        expect(reply.body).toMatchObject({ statusCode: reply.status });
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(await eventCount()).toBe(before);
    // Nearly all bad input is the caller's fault in a way a field can name.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS * 0.8);
  }, 180_000);
});
