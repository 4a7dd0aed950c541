// scripts/audit.mjs, which CI runs: an advisory in a production dependency fails the build unless
// the allowlist accepts it (with a reason, until an expiry); an unreachable advisory database is a
// warning, or a failure under --strict (the GitHub workflow).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'audit-'));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const ADVISORY = {
  source: 1096302,
  name: 'busboy',
  dependency: 'busboy',
  title: 'Denial of service in multipart parsing',
  url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
  severity: 'high',
  range: '<9.9.9',
};
const FOUND = {
  auditReportVersion: 2,
  vulnerabilities: {
    busboy: { name: 'busboy', severity: 'high', via: [ADVISORY], effects: [] },
    // Found through busboy: the advisory is busboy's, listed once.
    'some-wrapper': { name: 'some-wrapper', severity: 'high', via: ['busboy'], effects: [] },
  },
};
const CLEAN = { auditReportVersion: 2, vulnerabilities: {} };
const UNREACHABLE = { error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry' } };

function allow(expires: string, reason = 'only reached with a header we never send'): string {
  return file(`allow-${expires}.json`, {
    advisories: [{ advisory: 'GHSA-aaaa-bbbb-cccc', package: 'busboy', reason, expires }],
  });
}

function audit(
  report: unknown,
  options: { allowlist?: string; strict?: boolean } = {},
): Promise<{ code: number; output: string }> {
  const args = ['scripts/audit.mjs', ...(options.strict ? ['--strict'] : [])];
  const env = {
    PATH: process.env.PATH ?? '',
    AUDIT_REPORT: file('report.json', report),
    ...(options.allowlist ? { AUDIT_ALLOWLIST: options.allowlist } : {}),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
  });
}

describe('scripts/audit.mjs', () => {
  it("passes a clean report with the repository's own allowlist", async () => {
    const { code, output } = await audit(CLEAN);
    expect(code).toBe(0);
    expect(output).toContain('production dependencies clear');
  });

  it('fails on an advisory the allowlist does not accept, naming it once', async () => {
    const { code, output } = await audit(FOUND);
    expect(code).toBe(1);
    expect(output).toContain('not allowed: GHSA-aaaa-bbbb-cccc (high) in busboy');
    expect(output.match(/GHSA-aaaa-bbbb-cccc/g)).toHaveLength(1);
  });

  it('accepts an allowed advisory until its expiry, and fails after it', async () => {
    const allowed = await audit(FOUND, { allowlist: allow('2999-01-01') });
    expect(allowed.code).toBe(0);
    expect(allowed.output).toContain('allowed until 2999-01-01: GHSA-aaaa-bbbb-cccc');
    const expired = await audit(FOUND, { allowlist: allow('2020-01-01') });
    expect(expired.code).toBe(1);
    expect(expired.output).toContain('allowance expired 2020-01-01: GHSA-aaaa-bbbb-cccc');
  });

  it('refuses an allowlist entry without a reason', async () => {
    const { code, output } = await audit(FOUND, { allowlist: allow('2999-01-01', '') });
    expect(code).not.toBe(0);
    expect(output).toContain('expected a "reason"');
  });

  it('warns when the advisory database does not answer, and fails under --strict', async () => {
    const warned = await audit(UNREACHABLE);
    expect(warned.code).toBe(0);
    expect(warned.output).toContain('did not answer (getaddrinfo ENOTFOUND registry)');
    expect(warned.output).toContain('NOT checked');
    expect((await audit(UNREACHABLE, { strict: true })).code).toBe(2);
  });
});
