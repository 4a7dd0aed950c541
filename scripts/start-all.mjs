// Runs api, projector, worker and dispatcher side by side for a new user, each line prefixed with its name, and
// with SMTP_URL unset the mail catcher the worker then sends to, whose mail GET /v1/admin/outbox lists.
// Once all are ready it prints where everything is and a first email to send. Ctrl-C (or SIGTERM)
// stops them all cleanly; if one dies, the others are stopped too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

// A new user needs an admin key to call the API at all. Without ADMIN_API_KEY, make one once and
// keep it in .dev-admin-key (git-ignored), so the same key works across restarts. It reaches the
// api as ADMIN_API_KEY, a bootstrap key like any other: once the user sets ADMIN_API_KEY, the api
// revokes it at start (AuthModule).
const KEY_FILE = '.dev-admin-key';
const keyFromFile = !process.env.ADMIN_API_KEY;
if (keyFromFile) {
  if (!existsSync(KEY_FILE)) {
    writeFileSync(KEY_FILE, `esk_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  process.env.ADMIN_API_KEY = readFileSync(KEY_FILE, 'utf8').trim();
}

// The children's stdout is a pipe to this process, so none of them sees the terminal: the log
// format is decided here, where the terminal is (as each app decides it when run directly).
// LOG_FORMAT, when set, wins.
process.env.LOG_FORMAT ||=
  process.stdout.isTTY && process.env.NODE_ENV !== 'production' ? 'pretty' : 'json';

/** `preferred` when it is free on this machine, else a port the OS picks. */
async function portFor(preferred) {
  const listen = (port) =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return listen(preferred).catch(() => listen(0));
}

// The worker, the projector and the dispatcher serve /metrics on ports of their own (one machine, one port each).
const metricsBase = Number(process.env.METRICS_PORT || 9464);
const metricsPorts = {
  worker: await portFor(metricsBase),
  projector: await portFor(metricsBase + 1),
  dispatcher: await portFor(metricsBase + 2),
};

const apps = ['api', 'projector', 'worker', 'dispatcher'];
if (!process.env.SMTP_URL) apps.push('mail-catcher');
const READY = {
  api: 'api ready on',
  projector: 'projector ready',
  worker: 'worker ready',
  dispatcher: 'dispatcher ready',
  'mail-catcher': 'mail-catcher ready',
};
const WIDTH = Math.max(...apps.map((name) => name.length));
const children = new Map();
const pending = new Set(apps);
let stopping = false;

function stopAll(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

function printWelcome() {
  const api = `http://127.0.0.1:${process.env.PORT || '3000'}`;
  const key = keyFromFile ? `$(cat ${KEY_FILE})` : '$ADMIN_API_KEY';
  const lines = [
    '',
    'Everything is running.',
    `  API             ${api}`,
    `  API docs        ${api}/docs`,
    `  dashboard       ${api}/`,
    `  metrics         worker http://127.0.0.1:${metricsPorts.worker}/metrics, projector http://127.0.0.1:${metricsPorts.projector}/metrics,`,
    `                  dispatcher http://127.0.0.1:${metricsPorts.dispatcher}/metrics`,
    // The api's own /metrics exists only with METRICS_TOKEN, and asks for it.
    process.env.METRICS_TOKEN
      ? `                  api ${api}/metrics with "Authorization: Bearer $METRICS_TOKEN"`
      : '                  api: set METRICS_TOKEN to serve its /metrics',
    keyFromFile
      ? `  admin API key   in ${KEY_FILE} (set ADMIN_API_KEY to use your own)`
      : '  admin API key   the ADMIN_API_KEY you set',
    process.env.SMTP_URL
      ? '  mail            goes out through SMTP_URL'
      : `  mail            caught on smtp://127.0.0.1:${process.env.MAIL_CATCHER_PORT || '2525'}, never sent out`,
    '',
    'Send a first email (no sendAt: due now; add "sendAt":"<ISO-8601>" for later), then see it go out:',
    `  curl -s -X POST ${api}/v1/emails -H "Authorization: Bearer ${key}" -H 'content-type: application/json' \\`,
    `    -d '{"from":"ada@example.com","to":"bob@example.com","subject":"Hello","text":"My first scheduled email"}'`,
    process.env.SMTP_URL
      ? `  curl -s ${api}/v1/admin/emails -H "Authorization: Bearer ${key}"`
      : `  curl -s ${api}/v1/admin/outbox -H "Authorization: Bearer ${key}"`,
    '',
  ];
  console.log(lines.join('\n'));
}

for (const name of apps) {
  const env = { ...process.env };
  if (name in metricsPorts) env.METRICS_PORT = String(metricsPorts[name]);
  const child = spawn(process.execPath, [`dist/apps/${name}/apps/${name}/src/main.js`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`${name.padEnd(WIDTH)} | ${line}`);
      if (pending.has(name) && line.includes(READY[name])) {
        pending.delete(name);
        if (pending.size === 0 && !stopping) printWelcome();
      }
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    console.log(`${name.padEnd(WIDTH)} | exited (${signal ?? code})`);
    if (!stopping) {
      process.exitCode = 1;
      stopAll('SIGTERM');
    }
  });
}

process.on('SIGINT', () => stopAll('SIGTERM'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
