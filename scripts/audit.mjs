// The production dependencies against the npm advisory database (`npm audit --omit=dev`): fails on
// any advisory that audit-allowlist.json does not accept, with a reason and an expiry, for now.
//   node scripts/audit.mjs            an advisory database out of reach is a warning (exit 0)
//   node scripts/audit.mjs --strict   ... and a failure (exit 2): what the GitHub workflow runs
// Why two modes: our own machines reach the npm registry through a mirror that does not serve the
// advisory endpoint (405), and a check that can never pass there would only teach people to skip
// it; GitHub's runners reach the real registry, so there an unanswered audit must not pass quietly.
// AUDIT_REPORT=<file> reads a saved `npm audit --json` report instead of running npm, and
// AUDIT_ALLOWLIST=<file> another allowlist (the tests: test/audit.int-spec.ts).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const ALLOWLIST = process.env.AUDIT_ALLOWLIST || join(ROOT, 'audit-allowlist.json');
const strict = process.argv.includes('--strict');

function runAudit() {
  return new Promise((resolve) => {
    // npm exits 1 when it finds advisories: the report on stdout is what counts.
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout) => resolve({ stdout, error }),
    );
  });
}

/** The advisory's stable id: GHSA-… from its URL, else npm's numeric source. */
function advisoryId(via) {
  return /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source);
}

/** Allowlist entries, each with an advisory id, the package, a reason and an expiry (YYYY-MM-DD). */
function readAllowlist() {
  const entries = JSON.parse(readFileSync(ALLOWLIST, 'utf8')).advisories;
  if (!Array.isArray(entries))
    throw new Error('audit-allowlist.json: expected {"advisories": [...]}');
  for (const [index, entry] of entries.entries()) {
    const where = `audit-allowlist.json advisories[${index}]`;
    if (typeof entry.advisory !== 'string' || typeof entry.package !== 'string') {
      throw new Error(`${where}: expected "advisory" (GHSA-…) and "package"`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 10) {
      throw new Error(`${where}: expected a "reason" saying why it does not apply to us`);
    }
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(entry.expires ?? '') ||
      Number.isNaN(Date.parse(entry.expires))
    ) {
      throw new Error(`${where}: expected "expires" as YYYY-MM-DD`);
    }
  }
  return entries;
}

const allowlist = readAllowlist();
const { stdout, error } = process.env.AUDIT_REPORT
  ? { stdout: readFileSync(process.env.AUDIT_REPORT, 'utf8'), error: undefined }
  : await runAudit();

let report;
try {
  report = JSON.parse(stdout);
} catch {
  report = undefined;
}
if (typeof report?.vulnerabilities !== 'object' || report.vulnerabilities === null) {
  const why =
    report?.error?.summary || report?.message || error?.message || 'no report from npm audit';
  process.stderr.write(
    `audit: the advisory database did not answer (${String(why).split('\n')[0]}); ` +
      `production dependencies NOT checked${strict ? '' : ' (a warning here; --strict fails)'}\n`,
  );
  process.exit(strict ? 2 : 0);
}

// Every advisory, once, with the packages it was found in.
const found = new Map();
for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
  for (const via of vulnerability.via ?? []) {
    if (typeof via !== 'object') continue; // "through package x": x's own entry has the advisory
    const id = advisoryId(via);
    const entry = found.get(id) ?? { id, title: via.title, severity: via.severity, packages: [] };
    entry.packages.push(name);
    found.set(id, entry);
  }
}

const today = new Date().toISOString().slice(0, 10);
const problems = [];
for (const advisory of found.values()) {
  const accepted = allowlist.find(
    (entry) => entry.advisory === advisory.id && advisory.packages.includes(entry.package),
  );
  const what = `${advisory.id} (${advisory.severity}) in ${advisory.packages.join(', ')}: ${advisory.title}`;
  if (accepted === undefined) problems.push(`not allowed: ${what}`);
  else if (accepted.expires < today)
    problems.push(`allowance expired ${accepted.expires}: ${what}`);
  else process.stdout.write(`audit: allowed until ${accepted.expires}: ${what}\n`);
}
for (const entry of allowlist) {
  if (!found.has(entry.advisory)) {
    process.stdout.write(`audit: ${entry.advisory} is allowed but no longer found; remove it\n`);
  }
}
if (problems.length > 0) {
  process.stderr.write(
    `audit: ${problems.length} advisories to fix or allow:\n  ${problems.join('\n  ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `audit: production dependencies clear (${found.size} advisories, all allowed)\n`,
);
