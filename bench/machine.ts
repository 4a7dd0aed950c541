import { cpus, totalmem } from 'node:os';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';

const RESULTS = join(__dirname, 'RESULTS.md');

/** One line naming the machine a figure was taken on, so figures are never read without it. */
export async function describeMachine(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  const cpu = cpus();
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB`,
    `Node ${process.version}`,
    `PostgreSQL ${rows[0]?.server_version ?? '?'}`,
  ].join(', ');
}

/** Appends a dated section to bench/RESULTS.md. */
export async function recordResults(title: string, machine: string, table: string): Promise<void> {
  const header = await readFile(RESULTS, 'utf8').catch(() => '');
  if (!header)
    await writeFile(
      RESULTS,
      '# Benchmark results\n\nNewest last. Each section names the machine it ran on.\n',
    );
  await appendFile(
    RESULTS,
    `\n## ${title}, ${new Date().toISOString()}\n\nMachine: ${machine}\n\n${table}\n`,
  );
}

export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
