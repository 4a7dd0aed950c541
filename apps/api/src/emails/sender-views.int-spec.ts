import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { EmailEvent } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, readProjectionStatus } from '@app/read-model';
import { toStoredEvents, waitFor } from '@app/testing';
import { startApi, type ApiHarness } from '../testing/api-harness';
import { FAILURE_REASONS } from '@app/domain';

// Finding 7 of issue 16: what a sender key sees of its own emails leaves out the service's internals
// (worker ids, job ids, the relay's own words, the store's global positions); an admin sees them all.
// Histories are appended straight to the store as the worker writes them, and projected in-process.

const TENANT = 'views-tenant';
const WORKER_ID = 'mail-host-7.internal:4242';
const JOB_ID = 'send-job-internal-0';
const RELAY_FAILURE = '451 4.7.1 greylisted by mx-inner-3.relay.example, try again';
const RELAY_ACCEPTED = '250 2.0.0 Ok: queued as RELAYQUEUE9F3A';
const RELAY_REFUSED_US = '535 5.7.8 authentication failed for relay user svc-mail';

type Body = Record<string, unknown> & {
  readonly key: string;
  readonly items: readonly Record<string, unknown>[];
  readonly projection: Record<string, unknown>;
};

let api: ApiHarness<Body>;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;
let senderKey: string;
/** An admin key of the same tenant: the history route reads the caller's tenant's emails only. */
let adminKey: string;
let retrying: string;
let sent: string;
let failed: string;

const at = (minutes: number): string => new Date(Date.UTC(2030, 0, 1, 9, minutes)).toISOString();

function scheduled(emailId: string): EmailEvent {
  return {
    type: 'EmailScheduled',
    data: {
      emailId,
      tenantId: TENANT,
      from: { address: 'news@views.example' },
      to: [{ address: 'alice@example.com' }],
      cc: [],
      bcc: [],
      subject: 'Hello',
      text: 'Hi',
      requestedSendAt: at(0),
      sendAt: at(0),
      maxAttempts: 3,
      tags: [],
      scheduledAt: at(-60),
    },
  };
}

function attempted(attempt: number, minutes: number): EmailEvent {
  return {
    type: 'EmailSendAttempted',
    data: {
      attempt,
      workerId: WORKER_ID,
      jobId: JOB_ID,
      claimedAt: at(minutes),
      leaseUntil: at(minutes + 1),
    },
  };
}

async function append(events: (emailId: string) => EmailEvent[]): Promise<string> {
  const emailId = randomUUID();
  await store.append(`email-${emailId}`, toStoredEvents(events(emailId), TENANT), 'no-stream');
  return emailId;
}

/** The internals the test looks for anywhere in a body, as text. */
const INTERNALS = [WORKER_ID, JOB_ID, RELAY_FAILURE, RELAY_ACCEPTED, RELAY_REFUSED_US];

function internalsIn(body: unknown): string[] {
  const text = JSON.stringify(body);
  return INTERNALS.filter((internal) => text.includes(internal));
}

beforeAll(async () => {
  api = await startApi<Body>({ name: 'sender_views' });
  pool = new Pool({ connectionString: api.database.url, max: 4 });
  pool.on('error', () => undefined); // the drop terminates idle connections
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  runner = new ProjectionRunner(pool, store, { batchSize: 50, rebuildPollMs: 100 });
  runner.start();

  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId: TENANT },
  });
  expect(minted.status).toBe(201);
  senderKey = minted.body.key;
  const admin = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'admin', tenantId: TENANT },
  });
  expect(admin.status).toBe(201);
  adminKey = admin.body.key;

  // Failed once with the relay's text, claimed again by a named worker: attempting.
  retrying = await append((id) => [
    scheduled(id),
    attempted(1, 0),
    {
      type: 'EmailFailed',
      data: {
        attempt: 1,
        failure: { kind: 'transient', code: 451, message: RELAY_FAILURE },
        failedAt: at(1),
        countsAsAttempt: true,
        final: false,
        retryAt: at(5),
      },
    },
    attempted(2, 5),
  ]);
  sent = await append((id) => [
    scheduled(id),
    attempted(1, 0),
    {
      type: 'EmailSent',
      data: {
        attempt: 1,
        messageId: `<${id}@views.example>`,
        response: RELAY_ACCEPTED,
        sentAt: at(1),
      },
    },
  ]);
  // Our relay refusing our credentials, with a transport error code: about us, not the email.
  failed = await append((id) => [
    scheduled(id),
    attempted(1, 0),
    {
      type: 'EmailFailed',
      data: {
        attempt: 1,
        failure: {
          kind: 'relay-unavailable',
          code: 535,
          errorCode: 'EAUTH',
          message: RELAY_REFUSED_US,
        },
        failedAt: at(1),
        countsAsAttempt: false,
        final: true,
      },
    },
  ]);
  await waitFor(
    'the projection to catch up',
    async () => {
      const status = await readProjectionStatus(pool, store);
      return status.lagEvents === 0 && status.position === status.head;
    },
    10_000,
  );
}, 30_000);

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await api?.close();
});

describe('GET /v1/emails/:id/history', () => {
  it('shows a sender no worker or job id and no relay text: the failure kind and a fixed reason', async () => {
    for (const id of [retrying, sent, failed]) {
      const reply = await api.call('GET', `/v1/emails/${id}/history`, { key: senderKey });
      expect(reply.status).toBe(200);
      expect(internalsIn(reply.body)).toEqual([]);
      expect(JSON.stringify(reply.body)).not.toMatch(
        /workerId|jobId|errorCode|"response"|position/,
      );
    }
    const reply = await api.call('GET', `/v1/emails/${retrying}/history`, { key: senderKey });
    expect(reply.body.events).toEqual([
      expect.objectContaining({ revision: 0, type: 'EmailScheduled' }),
      {
        revision: 1,
        type: 'EmailSendAttempted',
        recordedAt: expect.any(String) as unknown,
        data: { attempt: 1, claimedAt: at(0), leaseUntil: at(1) },
      },
      {
        revision: 2,
        type: 'EmailFailed',
        recordedAt: expect.any(String) as unknown,
        data: {
          attempt: 1,
          failure: { kind: 'transient', code: 451, message: FAILURE_REASONS.transient },
          failedAt: at(1),
          countsAsAttempt: true,
          final: false,
          retryAt: at(5),
        },
      },
      expect.objectContaining({ revision: 3, type: 'EmailSendAttempted' }),
    ]);
    expect(reply.body.state).toMatchObject({
      status: 'attempting',
      attempt: 2,
      lastError: { kind: 'transient', code: 451, message: FAILURE_REASONS.transient, attempt: 1 },
    });
    const refused = await api.call('GET', `/v1/emails/${failed}/history`, { key: senderKey });
    // The relay's code is about our relay too: only the kind and the reason.
    expect(refused.body.state).toMatchObject({
      status: 'failed',
      lastError: { kind: 'relay-unavailable', message: FAILURE_REASONS['relay-unavailable'] },
    });
    expect(refused.body.state).not.toHaveProperty('lastError.code');
  });

  it('shows an admin all of it', async () => {
    for (const id of [retrying, sent, failed]) {
      const reply = await api.call('GET', `/v1/emails/${id}/history`, { key: adminKey });
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.body)).toContain(WORKER_ID);
    }
    const all = await Promise.all(
      [retrying, sent, failed].map((id) =>
        api.call('GET', `/v1/emails/${id}/history`, { key: adminKey }),
      ),
    );
    expect(internalsIn(all.map((reply) => reply.body)).sort()).toEqual([...INTERNALS].sort());
  });
});

describe('GET /v1/emails/:id and GET /v1/emails', () => {
  it('shows a sender no global position and no relay text', async () => {
    for (const id of [retrying, sent, failed]) {
      const reply = await api.call('GET', `/v1/emails/${id}`, { key: senderKey });
      expect(reply.status).toBe(200);
      expect(reply.body).not.toHaveProperty('position');
      expect(internalsIn(reply.body)).toEqual([]);
      expect(reply.body.revision).toEqual(expect.any(Number));
    }
    const one = await api.call('GET', `/v1/emails/${failed}`, { key: senderKey });
    expect(one.body.lastError).toEqual({
      kind: 'relay-unavailable',
      message: FAILURE_REASONS['relay-unavailable'],
      attempt: 1,
      at: at(1),
    });
    const page = await api.call('GET', '/v1/emails?limit=10', { key: senderKey });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(3);
    for (const item of page.body.items) expect(item).not.toHaveProperty('position');
    expect(internalsIn(page.body)).toEqual([]);
  });

  it('shows an admin the position and the relay text', async () => {
    const reply = await api.call('GET', '/v1/emails?limit=10', { key: adminKey });
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(3);
    for (const item of reply.body.items) expect(item.position).toMatch(/^\d+\/\d+$/);
    expect(internalsIn(reply.body)).toEqual([RELAY_FAILURE, RELAY_REFUSED_US]);
    const one = await api.call('GET', `/v1/emails/${failed}`, { key: adminKey });
    expect(one.body).toMatchObject({
      position: expect.stringMatching(/^\d+\/\d+$/) as unknown,
      lastError: { code: 535, errorCode: 'EAUTH', message: RELAY_REFUSED_US },
    });
  });
});

describe('GET /v1/stats', () => {
  it('shows a sender how far behind the projection is in seconds, not the store positions', async () => {
    const reply = await api.call('GET', '/v1/stats', { key: senderKey });
    expect(reply.status).toBe(200);
    expect(reply.body.projection).toEqual({
      state: 'live',
      lagSeconds: expect.any(Number) as unknown,
    });
  });

  it('shows an admin the positions, the head and the lag in events', async () => {
    const reply = await api.call('GET', '/v1/stats', { key: adminKey });
    expect(reply.status).toBe(200);
    expect(reply.body.projection).toMatchObject({
      position: expect.stringMatching(/^\d+\/\d+$/) as unknown,
      head: expect.stringMatching(/^\d+\/\d+$/) as unknown,
      lagEvents: 0,
      lagEventsCapped: false,
    });
  });
});
