// The dashboard in a real browser against the real built processes: api (serving the dashboard),
// projector and worker on their own database and Redis db, the mail catcher, and a real OpenID
// Connect provider on loopback. A person signs in, composes an email due in a few seconds and
// watches it go out, reads its timeline, cancels another, imports a CSV with a bad row, looks at the
// stats and the outbox; another signs in with OIDC and sees only their tenant. Screenshots of every
// page, at desktop and phone width, go to test-output/dashboard.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort, waitFor } from '@app/testing';
import { ADMIN_API_KEY, FaultHarness } from '../faults/fault-harness';
import { CHROMIUM, DESKTOP, SCREENSHOTS, launchChromium, screenshot } from './browser';

const REDIS_DB = 14;
const CLIENT_ID = 'dashboard';
const CLIENT_SECRET = 'dashboard-test-client-secret';

// A browser's steps wait on the real processes (an email goes out seconds after it is composed).
jest.setTimeout(120_000);

let harness: FaultHarness;
let provider: ChildProcess;
let providerOutput = '';
let browser: Browser;

function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

async function newContext(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: DESKTOP,
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

async function startProvider(port: number, redirectUri: string): Promise<void> {
  provider = spawn(
    process.execPath,
    [join(__dirname, 'oidc-provider.mjs'), String(port), CLIENT_ID, CLIENT_SECRET, redirectUri],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  provider.stdout?.on('data', (chunk: Buffer) => (providerOutput += chunk.toString()));
  provider.stderr?.on('data', (chunk: Buffer) => (providerOutput += chunk.toString()));
  await waitFor('the OIDC provider', () => providerOutput.includes('oidc provider ready'), 20_000);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  harness = await FaultHarness.create(REDIS_DB);
  const catcherPort = await freePort();
  const providerPort = await freePort();
  const apiPort = new URL(harness.apiUrl).port;
  await startProvider(providerPort, `http://127.0.0.1:${apiPort}/v1/auth/oidc/callback`);
  await harness.start('api', 'api', {
    OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URL: `http://127.0.0.1:${apiPort}/v1/auth/oidc/callback`,
    OIDC_ADMIN_EMAILS: 'ops@example.com',
    OIDC_TENANT_DOMAINS: 'acme.example=acme',
  });
  // The OIDC sender below composes from acme.example: its tenant needs that sender domain.
  const domains = await harness.call('PUT', '/v1/admin/tenants/acme/sender-domains', {
    body: { domains: ['acme.example'] },
  });
  expect(domains.status).toBe(200);
  await harness.start('projector');
  // The embedded default: no SMTP_URL, so the worker sends to the local mail catcher.
  const catcher = { SMTP_URL: '', MAIL_CATCHER_PORT: String(catcherPort) };
  await harness.start('mail-catcher', 'mail-catcher', catcher);
  await harness.start('worker', 'worker', catcher);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  provider?.kill('SIGKILL');
  await harness?.close();
});

describe('the dashboard, signed in with an API key', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ({ context, page, problems } = await newContext());
  });

  afterAll(async () => {
    await context?.close();
  });

  it('signs in from the keyboard with the key, which the browser does not keep', async () => {
    await page.goto(harness.apiUrl);
    await page.getByLabel('API key').waitFor();
    await screenshot(page, '01-sign-in');
    await page.getByLabel('API key').focus();
    await page.keyboard.type(ADMIN_API_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/emails\?status=scheduled$/);
    await page.getByText('No scheduled emails.').waitFor();
    await screenshot(page, '02-emails-empty');

    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toEqual(['es_session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    // A browser-side expression as text: this file is type-checked for Node, without the DOM.
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage })',
    );
    expect(stored).not.toContain(ADMIN_API_KEY);
  });

  let sentId: string;

  it('composes an email due in a few seconds and watches it go out, then reads its timeline', async () => {
    await page.getByRole('link', { name: 'Compose', exact: true }).click();
    await page.getByLabel('From').fill('Ada <ada@example.com>');
    await page.getByLabel('To', { exact: true }).fill('bob@example.com, carol@example.com');
    await page.getByLabel('Subject').fill('Quarterly report');
    await page.getByLabel('Text').fill('Hi Bob,\nthe report is attached.');
    await page
      .getByLabel(/^HTML/)
      .fill(
        '<h2 style="color:#2f5bd3">Hi Bob</h2><p>The report is <b>attached</b>.</p>' +
          '<script>parent.postMessage("script ran", "*")</script><img src="https://example.com/pixel.png">',
      );
    // The API's own validation message, next to its field.
    await page.getByLabel(/^Send at/).fill('2099-01-01T09:00:00');
    await page.getByRole('button', { name: 'Schedule email' }).click();
    await page.locator('#sendAt-error').waitFor();
    expect(await page.locator('#sendAt-error').textContent()).toMatch(/sendAt/);
    await expect(page.getByLabel(/^Send at/).getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, '03-compose-validation');

    await page.getByRole('button', { name: 'in 10 s' }).click();
    await page.locator('#sendAt-error').waitFor({ state: 'detached' });
    await expect(page.locator('.send-at .hint').textContent()).resolves.toContain('Europe/Berlin');
    await screenshot(page, '04-compose');
    await page.getByRole('button', { name: 'Schedule email' }).click();
    await page.waitForURL(/\/emails\/[0-9a-f-]{36}/);
    sentId = /\/emails\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.locator('.title-row .badge-scheduled').waitFor();
    await screenshot(page, '05-email-scheduled');

    // No reload: the page follows the email until the worker has sent it.
    await page.locator('.title-row .badge-sent').waitFor({ timeout: 45_000 });
    const timeline = page.getByRole('list', { name: 'History' });
    await timeline.getByText('Sent (attempt 1)').waitFor();
    expect(await timeline.locator('li strong').allTextContents()).toEqual([
      'Scheduled',
      'Attempt 1 started',
      'Sent (attempt 1)',
    ]);
    await expect(timeline.textContent()).resolves.toContain(`<${sentId}@example.com>`);

    // The stored HTML body: in a sandboxed srcdoc frame without scripts, under a CSP of its own.
    const frame = page.locator('iframe.email-frame');
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(await frame.getAttribute('srcdoc')).toContain("default-src 'none'");
    await page.frameLocator('iframe.email-frame').getByText('Hi Bob').waitFor();
    const messages = await page.evaluate<string[]>(`new Promise((resolve) => {
      const seen = [];
      window.addEventListener('message', (event) => seen.push(String(event.data)));
      setTimeout(() => resolve(seen), 500);
    })`);
    expect(messages).toEqual([]);
    await frame.scrollIntoViewIfNeeded();
    await screenshot(page, '06-email-sent-timeline');
    expect(problems).toEqual([]);
  });

  it('lists it among the sent emails, and filters the scheduled ones', async () => {
    for (let i = 0; i < 3; i += 1) {
      const reply = await harness.call('POST', '/v1/emails', {
        body: {
          from: 'news@example.com',
          to: `reader${i}@example.com`,
          subject: `Newsletter ${i}`,
          text: 'News',
          tags: ['news'],
          sendAt: inSeconds(3600 * (i + 1)),
        },
      });
      expect(reply.status).toBe(201);
    }
    await page.getByRole('link', { name: 'Emails', exact: true }).click();
    await page.getByRole('tab', { name: 'Sent' }).click();
    await page.getByRole('link', { name: 'Quarterly report' }).waitFor();
    await screenshot(page, '07-emails-sent');

    await page.getByRole('tab', { name: 'Scheduled' }).click();
    await page.getByRole('link', { name: 'Newsletter 2' }).waitFor();
    await page.getByText(/^Filters/).click();
    await page.getByLabel('Tag').fill('news');
    await page.getByLabel('To').fill('reader1@example.com');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tag=news/);
    await waitFor('the filtered list', async () => (await page.locator('tbody tr').count()) === 1);
    await expect(page.locator('tbody').textContent()).resolves.toContain('Newsletter 1');
    await screenshot(page, '08-emails-filtered');
  });

  it('cancels another email from its page, sending If-Match with the revision it shows', async () => {
    const reply = await harness.call('POST', '/v1/emails', {
      body: {
        from: 'ada@example.com',
        to: 'dave@example.com',
        subject: 'Party invitation',
        html: '<p>Come on <i>Friday</i>!</p>',
        sendAt: inSeconds(86_400),
      },
    });
    expect(reply.status).toBe(201);
    const id = String(reply.body.id);
    await page.goto(`${harness.apiUrl}/emails/${id}?minRevision=${String(reply.body.revision)}`);
    await page.locator('.title-row .badge-scheduled').waitFor();

    // Someone else moves it meanwhile: the page follows, and then cancels revision 1, not 0.
    const moved = await harness.call('PATCH', `/v1/emails/${id}`, {
      body: { sendAt: inSeconds(2 * 86_400) },
      headers: { 'if-match': '"0"' },
    });
    expect(moved.status).toBe(200);
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('Rescheduled').waitFor();
    const ifMatches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'DELETE') ifMatches.push(request.headers()['if-match'] ?? '');
    });

    // A click on a page that was behind (its If-Match made stale on the way): 412, said plainly.
    await page.route(`**/v1/emails/${id}`, async (route) => {
      if (route.request().method() !== 'DELETE') return route.fallback();
      await route.continue({ headers: { ...route.request().headers(), 'if-match': '"0"' } });
    });
    await page.getByRole('button', { name: 'Cancel email…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page
      .getByRole('alert')
      .getByText(/changed while you were looking/)
      .waitFor();
    await expect(page.locator('.title-row .badge-scheduled').count()).resolves.toBe(1);
    await screenshot(page, '09-email-stale-if-match');
    await page.unroute(`**/v1/emails/${id}`);

    await page.getByRole('button', { name: 'Cancel email…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.locator('.title-row .badge-cancelled').waitFor();
    await history.getByText('Cancelled').waitFor();
    await expect(page.locator('.notice-ok').textContent()).resolves.toContain('Cancelled');
    expect(ifMatches).toEqual(['"1"', '"1"']);
    await screenshot(page, '10-email-cancelled');
    expect(problems).toEqual([]);
  });

  it('uploads a CSV with a bad row: a preview first, then a result for every row', async () => {
    const file = join(SCREENSHOTS, 'emails.csv');
    writeFileSync(
      file,
      [
        'to,subject,text,sendAt,tags',
        `erin@example.com,Welcome,Hello Erin,${inSeconds(7200)},onboarding`,
        `not-an-address,Broken,Hi,${inSeconds(7200)},`,
        `"frank@example.com;grace@example.com","Hello, both",Hi,${inSeconds(9000)},onboarding;team`,
      ].join('\n'),
    );
    await page.getByRole('link', { name: 'CSV import' }).click();
    await page.getByLabel(/^From/).fill('Ada <ada@example.com>');
    await page.locator('#csv-file').setInputFiles(file);
    await page.locator('.preview-table').waitFor();
    expect(await page.locator('.preview-table tbody tr').count()).toBe(3);
    await screenshot(page, '11-import-preview');
    await page.getByRole('button', { name: 'Import 3 rows' }).click();
    await page.locator('.results-table').waitFor();
    await expect(page.locator('.summary').textContent()).resolves.toBe(
      '2 scheduled 1 rejected Open the batch',
    );
    await expect(
      page.getByRole('link', { name: 'Open the batch' }).getAttribute('href'),
    ).resolves.toMatch(/^\/batches\/[0-9a-f-]{36}$/);
    const rows = await page.locator('.results-table tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('scheduled');
    expect(rows[1]).toMatch(/400 rejected.*to\[0\]/);
    expect(rows[2]).toContain('scheduled');
    await screenshot(page, '12-import-results');
  });

  it('shows the stats and the mail catcher’s outbox, live', async () => {
    await page.getByRole('link', { name: 'Stats' }).click();
    await page.getByRole('heading', { name: 'Lateness of sends' }).waitFor();
    await waitFor(
      'the sent email in the stats',
      async () =>
        (await page.getByLabel('Emails by status').textContent())?.includes('sent1') === true,
      15_000,
      200,
    );
    await screenshot(page, '13-stats');

    await page.getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('button', { name: /Quarterly report/ }).click();
    await expect(page.locator('pre.raw').textContent()).resolves.toContain(
      `<${sentId}@example.com>`,
    );
    await screenshot(page, '14-outbox');
  });
});

describe('the dashboard, signed in with OpenID Connect', () => {
  it('signs a person in with code + PKCE as a sender of the tenant their domain maps to', async () => {
    const { context, page, problems } = await newContext();
    try {
      await page.goto(harness.apiUrl);
      await page.getByRole('link', { name: 'Sign in with 127.0.0.1' }).click();
      // The provider's own sign-in and consent pages.
      await page.locator('input[name="login"]').fill('ada@acme.example');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${harness.apiUrl}/emails?status=scheduled`);
      await expect(page.locator('.who').textContent()).resolves.toContain('ada@acme.example');
      await expect(page.locator('.who-role').textContent()).resolves.toBe('sender · acme');
      // The admin tenant's emails are not this tenant's.
      await page.getByText('No scheduled emails.').waitFor();
      await expect(page.getByRole('link', { name: 'Outbox' }).count()).resolves.toBe(0);

      const session = (await context.cookies()).find((cookie) => cookie.name === 'es_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

      await page.getByRole('link', { name: 'Compose', exact: true }).click();
      await page.getByLabel('From').fill('ada@acme.example');
      await page.getByLabel('To', { exact: true }).fill('customer@example.com');
      await page.getByLabel('Subject').fill('Your order');
      await page.getByLabel('Text').fill('It ships tomorrow.');
      await page.getByRole('button', { name: 'in 1 day' }).click();
      await page.getByRole('button', { name: 'Schedule email' }).click();
      await page.locator('.title-row .badge-scheduled').waitFor();
      const id = /\/emails\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      const email = await harness.call('GET', `/v1/admin/emails?tenant=acme`);
      expect((email.body.items as { id: string }[]).map((item) => item.id)).toEqual([id]);
      await screenshot(page, '15-oidc-sender-email');

      await page.getByRole('link', { name: 'Stats' }).click();
      await page.getByText('Tenant acme').waitFor();
      await screenshot(page, '16-oidc-sender-stats');
      expect(problems).toEqual([]);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API key').waitFor();
      const after = await context.request.get(`${harness.apiUrl}/v1/session`);
      expect(after.status()).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('refuses a person whose email maps to no tenant, and says why', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto(harness.apiUrl);
      await page.getByRole('link', { name: 'Sign in with 127.0.0.1' }).click();
      await page.locator('input[name="login"]').fill('eve@elsewhere.example');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/login\?error=refused$/);
      await page
        .getByRole('alert')
        .getByText(/not allowed here/)
        .waitFor();
      expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('es_session');
      await screenshot(page, '17-oidc-refused');
    } finally {
      await context.close();
    }
  });
});
