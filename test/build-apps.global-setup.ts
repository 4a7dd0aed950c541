// Integration suites run the built apps as users start them (kill -9 needs a real process). Building
// them here, once per jest run, keeps dist/ fresh without every suite rebuilding (and wiping) it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const NEST_CLI = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const APPS = ['api', 'worker', 'projector', 'mail-catcher'];

export default async function buildApps(): Promise<void> {
  const run = promisify(execFile);
  for (const app of APPS) await run(process.execPath, [NEST_CLI, 'build', app], { cwd: ROOT });
}
