// The dashboard's Webhooks page in a real browser against the real built processes: the api (serving the
// dashboard), the projector (replays read the emails from the read model) and the dispatcher, delivering to a
// receiver on loopback that checks every signature with the Standard Webhooks algorithm written here, with
// node:crypto. A person adds an endpoint and copies its secret, shown once; sends a test; follows an email's
// messages; sees a failing receiver's answer as text, retries it; disables, re-enables, rotates the secret,
// replays and deletes. Screenshots of every step, at desktop and phone width, go to test-output/dashboard.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@app/testing';
import { ADMIN_API_KEY, FaultHarness } from '../faults/fault-harness';
import { DESKTOP, launchChromium, screenshot } from './browser';

const REDIS_DB = 13;
// What a receiver answers while it fails: markup and terminal escapes the page must show as text.
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> \u001b[31mdown\u202e';

jest.setTimeout(120_000);

/** One request the receiver got, as it came. */
interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signatures: readonly string[];
  readonly body: Buffer;
  readonly type: string;
  readonly answered: number;
}

/** A webhook receiver on loopback: records every request and answers 204, or 500 while told to fail. */
class Receiver {
  readonly received: Received[] = [];
  failing = false;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const answered = receiver.failing ? 500 : 204;
        receiver.received.push({
          id: header(req.headers, 'webhook-id'),
          timestamp: header(req.headers, 'webhook-timestamp'),
          signatures: header(req.headers, 'webhook-signature').split(' '),
          body,
          type: String((JSON.parse(body.toString('utf8')) as { type?: unknown }).type),
          answered,
        });
        if (answered === 500) res.writeHead(500, { 'content-type': 'text/html' }).end(HOSTILE);
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  of(type: string): Received[] {
    return this.received.filter((message) => message.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/**
 * Standard Webhooks, independently of the service's code: base64 HMAC-SHA256, keyed with the base64 after
 * `whsec_`, over `id.timestamp.body`; one of the space-separated `v1,` entries must match.
 */
function signedBy(secret: string, message: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${message.id}.${message.timestamp}.`)
    .update(message.body)
    .digest();
  return message.signatures.some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

let harness: FaultHarness;
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  harness = await FaultHarness.create(REDIS_DB);
  receiver = await Receiver.start();
  // The receiver is on loopback: allowed here, as for local development. Short retries keep the test short.
  const webhooks = {
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_RETRY_DELAYS: '200ms',
    WEBHOOK_TIMEOUT_MS: '3000',
  };
  await harness.start('api', 'api', webhooks);
  await harness.start('projector');
  await harness.start('dispatcher', undefined, webhooks);
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: DESKTOP,
    timezoneId: 'UTC',
    locale: 'en-GB',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await receiver?.close();
  await harness?.close();
});

let secret = '';
let endpointPath = '';
let scheduledAt = 0;

it('adds an endpoint, says why a URL is refused, and shows the secret once, with a copy button', async () => {
  await page.goto(harness.apiUrl);
  await page.getByLabel('API key').fill(ADMIN_API_KEY);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/emails\?status=scheduled$/);
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByText('No endpoints yet').waitFor();

  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL').fill('ftp://127.0.0.1/hooks');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await page.locator('#webhook-url-error').waitFor();
  await expect(page.locator('#webhook-url-error').textContent()).resolves.toMatch(/http/);
  await screenshot(page, '20-webhooks-url-refused');

  await page.getByLabel('URL').fill(receiver.url);
  await page.getByLabel(/^Description/).fill('the receiver');
  await page.getByLabel(/^All events/).uncheck();
  await page.getByLabel(/^email\.scheduled/).check();
  await page.getByLabel(/^email\.cancelled/).check();
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await page.getByText('you will not see it again').waitFor();
  secret = await page.locator('#webhook-secret').inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(secret);
  const row = page.locator('table.endpoints tbody tr');
  await expect(row.textContent()).resolves.toContain('email.scheduled, email.cancelled');
  await screenshot(page, '21-webhooks-created');

  // Once dismissed it is gone for good: not in the page, not in the api's answers.
  await page.getByRole('button', { name: 'I have stored it' }).click();
  await page.reload();
  await row.waitFor();
  expect(await page.content()).not.toContain(secret);
  const list = await harness.call('GET', '/v1/webhooks');
  expect(list.text).not.toContain(secret);
  expect(problems).toEqual([]);
});

it('sends a signed test message and shows it delivered', async () => {
  await page.getByRole('link', { name: receiver.url }).click();
  await page.waitForURL(/\/webhooks\/[0-9a-f-]{36}$/);
  endpointPath = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByText(/^Test message msg_[0-9a-f]+ queued/).waitFor();
  await waitFor('the test message', () => receiver.of('webhook.test').length === 1, 15_000);
  const [test] = receiver.of('webhook.test');
  expect(test && signedBy(secret, test)).toBe(true);
  const delivered = page.locator('table.deliveries tr.delivery-delivered');
  await delivered.waitFor();
  await expect(delivered.textContent()).resolves.toMatch(/webhook\.test.*204/);
  await screenshot(page, '22-webhook-test-delivered');
});

it('shows a failing receiver’s answer as text, its attempts, and delivers it on retry with the same webhook-id', async () => {
  scheduledAt = Date.now() - 1_000;
  const created = await harness.call('POST', '/v1/emails', {
    body: {
      from: 'ada@example.com',
      to: 'bob@example.com',
      subject: 'Webhook me',
      text: 'Hi',
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  const emailId = String(created.body.id);
  await waitFor('email.scheduled', () => receiver.of('email.scheduled').length === 1, 15_000);

  receiver.failing = true;
  const cancelled = await harness.call('DELETE', `/v1/emails/${emailId}`);
  expect(cancelled.status).toBe(200);
  await page.getByRole('tab', { name: 'Failed' }).click();
  const failed = page.locator('table.deliveries tr.delivery-failed');
  await failed.waitFor();
  const cells = await failed.locator('td').allTextContents();
  expect(cells.slice(0, 5)).toEqual(['failed', 'email.cancelled', emailId, '2', '500']);
  // The receiver's markup is text on the page: no element made of it, no script run.
  expect(cells[6]).toContain('<img src=x onerror=');
  expect(await page.locator('table.deliveries img').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');

  await failed.getByRole('button', { name: 'Details' }).click();
  const attempts = page.locator('table.attempts tbody tr');
  await waitFor('both attempts', async () => (await attempts.count()) === 2);
  await expect(page.locator('pre.payload').textContent()).resolves.toContain('"email.cancelled"');
  await screenshot(page, '23-webhook-failed-attempts');

  receiver.failing = false;
  await failed.getByRole('button', { name: 'Retry' }).click();
  await page.getByText(/email\.cancelled queued to be tried again/).waitFor();
  await waitFor(
    'the retried email.cancelled',
    () => receiver.of('email.cancelled').some((message) => message.answered === 204),
    15_000,
  );
  const deliveries = receiver.of('email.cancelled');
  expect(deliveries.map((message) => message.answered)).toEqual([500, 500, 204]);
  expect(new Set(deliveries.map((message) => message.id)).size).toBe(1);
  expect(deliveries.every((message) => signedBy(secret, message))).toBe(true);
  await page.getByRole('tab', { name: 'All' }).click();
  await page
    .locator('table.deliveries tr.delivery-delivered', { hasText: 'email.cancelled' })
    .waitFor();

  // The email id links to the email's own page.
  await page.getByRole('link', { name: emailId }).first().click();
  await page.waitForURL(new RegExp(`/emails/${emailId}$`));
  await page.locator('.title-row .badge-cancelled').waitFor();
  await page.goBack();
  await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
  expect(problems).toEqual([]);
});

it('disables and enables, rotates the secret (both sign in the overlap), replays, deletes', async () => {
  await page.getByRole('button', { name: 'Disable' }).click();
  await page.locator('.title-row .badge', { hasText: 'disabled' }).waitFor();
  await page.getByText('disabled through the API').waitFor();
  await page.getByRole('button', { name: 'Enable' }).click();
  await page.locator('.title-row .badge', { hasText: 'enabled' }).waitFor();

  await page.getByRole('button', { name: 'Rotate secret…' }).click();
  await page.getByRole('button', { name: 'Yes, rotate it' }).click();
  await page.getByRole('heading', { name: 'New signing secret' }).waitFor();
  const rotated = await page.locator('#webhook-secret').inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await screenshot(page, '24-webhook-rotated');
  await page.getByRole('button', { name: 'Send test' }).click();
  await waitFor('the second test', () => receiver.of('webhook.test').length === 2, 15_000);
  const test = receiver.of('webhook.test')[1];
  expect(test?.signatures).toHaveLength(2);
  expect(test && signedBy(secret, test) && signedBy(rotated, test)).toBe(true);

  // Replay from before the email: its two messages again, with their own webhook-ids.
  const before = receiver.received.length;
  await page.getByLabel('Since').fill(new Date(scheduledAt).toISOString().slice(0, 19));
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await page.getByText('2 messages queued to be sent again.').waitFor();
  await waitFor('the replayed messages', () => receiver.received.length === before + 2, 15_000);
  const replayed = receiver.received.slice(before);
  expect(replayed.map((message) => message.type)).toEqual(['email.scheduled', 'email.cancelled']);
  expect(replayed.map((message) => message.id)).toEqual([
    receiver.of('email.scheduled')[0]?.id,
    receiver.of('email.cancelled')[0]?.id,
  ]);
  expect(replayed.every((message) => signedBy(rotated, message))).toBe(true);
  await screenshot(page, '25-webhook-replayed');

  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.waitForURL(/\/webhooks$/);
  await page.getByText('No endpoints yet').waitFor();
  const gone = await harness.call('GET', `/v1${endpointPath}`);
  expect(gone.status).toBe(404);
  expect(problems).toEqual([]);
});
