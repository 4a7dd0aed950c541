// Integration suites run the built apps as users start them (kill -9 needs a real process). Building
// them here, once per jest run (both projects name this setup), keeps dist/ fresh without every suite rebuilding (and wiping) it. The
// dashboard is built too: the api serves it, and the browser test drives it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const NEST_CLI = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const VITE_CLI = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const APPS = ['api', 'worker', 'projector', 'dispatcher', 'mail-catcher'];

/** Set once the apps are built: the integration and e2e projects both name this setup, one build serves both. */
const BUILT = 'EMAIL_SCHEDULER_APPS_BUILT';

export default async function buildApps(): Promise<void> {
  if (process.env[BUILT] === '1') return;
  const run = promisify(execFile);
  for (const app of APPS) await run(process.execPath, [NEST_CLI, 'build', app], { cwd: ROOT });
  // The production build users get: jest's NODE_ENV=test would make Vite bundle React's dev build.
  await run(
    process.execPath,
    [VITE_CLI, 'build', '--config', 'apps/dashboard/vite.config.mts', '--logLevel', 'warn'],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  process.env[BUILT] = '1';
}
