import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export { describeMachine } from '@app/testing';

const RESULTS = join(__dirname, 'RESULTS.md');

/** Appends a dated section to bench/RESULTS.md; a smoke run (BENCH_SMOKE=1, tiny sizes, CI) records nothing. */
export async function recordResults(title: string, machine: string, table: string): Promise<void> {
  if (process.env.BENCH_SMOKE === '1') return;
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
