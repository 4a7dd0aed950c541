// The dashboard's types of the api's answers, generated from the api's OpenAPI document so that
// the two cannot drift. Run after `nest build api` (the swagger plugin fills the document in builds):
//   node scripts/contract.mjs           writes apps/dashboard/src/api-schema.ts (`npm run contract`)
//   node scripts/contract.mjs --check   fails if that file is not what the api says now
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const ROOT = join(import.meta.dirname, '..');
const DOCUMENT_ENTRY = join(ROOT, 'dist/apps/api/apps/api/src/openapi-document.js');
const SCHEMA_FILE = 'apps/dashboard/src/api-schema.ts';
const HEADER = `// Generated from the api's OpenAPI document by \`npm run contract\`; do not edit.\n\n`;

const document = JSON.parse(execFileSync(process.execPath, [DOCUMENT_ENTRY], { cwd: ROOT }));
const ast = await openapiTS(document, { immutable: true, enumValues: true, alphabetize: true });
const generated = HEADER + astToString(ast);

if (process.argv.includes('--check')) {
  const current = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
  if (current !== generated) {
    const fresh = join(mkdtempSync(join(tmpdir(), 'contract-')), 'api-schema.ts');
    writeFileSync(fresh, generated);
    try {
      execFileSync('git', ['diff', '--no-index', '--stat', '--', SCHEMA_FILE, fresh], {
        cwd: ROOT,
        stdio: 'inherit',
      });
    } catch {
      // git diff exits 1 when the files differ: that is the point.
    }
    process.stderr.write(
      `${SCHEMA_FILE} is not what the api's OpenAPI document says (fresh copy: ${fresh}); ` +
        'run `npm run contract` and commit the result.\n',
    );
    process.exit(1);
  }
} else {
  writeFileSync(join(ROOT, SCHEMA_FILE), generated);
}
