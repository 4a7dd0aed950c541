// Runs api, projector and worker side by side for a new user, each line prefixed with its name, and
// with SMTP_URL unset the mail catcher the worker then sends to, whose mail GET /v1/admin/outbox lists.
// Ctrl-C (or SIGTERM) stops them all cleanly; if one dies, the others are stopped too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// A new user needs an admin key to call the API at all. Without ADMIN_API_KEY, make one once and
// keep it in .dev-admin-key (git-ignored), so the same key works across restarts.
const KEY_FILE = '.dev-admin-key';
const keyFromFile = !process.env.ADMIN_API_KEY;
if (keyFromFile) {
  if (!existsSync(KEY_FILE)) {
    writeFileSync(KEY_FILE, `esk_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  process.env.ADMIN_API_KEY = readFileSync(KEY_FILE, 'utf8').trim();
  console.log(
    `admin API key: ${process.env.ADMIN_API_KEY} (from ${KEY_FILE}; set ADMIN_API_KEY to use your own)`,
  );
}

const apps = ['api', 'projector', 'worker'];
if (!process.env.SMTP_URL) {
  apps.push('mail-catcher');
  const port = process.env.MAIL_CATCHER_PORT || '2525';
  const api = `http://127.0.0.1:${process.env.PORT || '3000'}`;
  const key = keyFromFile ? `$(cat ${KEY_FILE})` : '<your ADMIN_API_KEY>';
  console.log(
    `SMTP_URL is unset: mail goes to the local mail catcher on smtp://127.0.0.1:${port}, never ` +
      `out. Watch it arrive: curl -s ${api}/v1/admin/outbox -H "Authorization: Bearer ${key}"`,
  );
}
const WIDTH = Math.max(...apps.map((name) => name.length));
const children = new Map();
let stopping = false;

function stopAll(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

for (const name of apps) {
  const child = spawn(process.execPath, [`dist/apps/${name}/apps/${name}/src/main.js`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) =>
      console.log(`${name.padEnd(WIDTH)} | ${line}`),
    );
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
