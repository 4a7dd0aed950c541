// The image's entry point: `api` (the default command), `worker`, `projector`, `dispatcher` or `mail-catcher`
// runs that app's build in this very process, so the signals the container gets reach it directly.
import { fileURLToPath } from 'node:url';

const APPS = ['api', 'worker', 'projector', 'dispatcher', 'mail-catcher'];
const app = process.argv[2] ?? 'api';
if (!APPS.includes(app)) {
  process.stderr.write(`unknown app ${JSON.stringify(app)}: expected one of ${APPS.join(', ')}\n`);
  process.exit(64);
}
const entry = new URL(`../dist/apps/${app}/apps/${app}/src/main.js`, import.meta.url);
await import(fileURLToPath(entry));
