import type { FieldIssue } from '../../common/validation';
import type { ScheduleEmailInput } from '../commands/schedule-email.command';

/** The columns a CSV import may name in its header row, in any order. */
export const CSV_COLUMNS = [
  'to',
  'cc',
  'bcc',
  'subject',
  'text',
  'html',
  'sendAt',
  'tags',
  'from',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Cells of these columns hold lists, items separated by `;` (commas may sit inside display names). */
const LIST_COLUMNS: ReadonlySet<CsvColumn> = new Set(['to', 'cc', 'bcc', 'tags']);
export const LIST_SEPARATOR = ';';

/** Where each named column sits in a record. */
export type CsvHeader = ReadonlyMap<CsvColumn, number>;

function isColumn(name: string): name is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(name);
}

/**
 * The header row as column positions, or the problems that make the file unusable: an unknown or
 * repeated column, a missing `to` or `subject`, or no sender (neither a `from` column nor a form field).
 */
export function parseHeader(
  cells: readonly string[],
  hasDefaultFrom: boolean,
): { header: CsvHeader } | { issues: FieldIssue[] } {
  const header = new Map<CsvColumn, number>();
  const issues: FieldIssue[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    if (!isColumn(name)) {
      issues.push({
        field: `header[${index + 1}]`,
        reason: `unknown column ${JSON.stringify(name)}; expected some of ${CSV_COLUMNS.join(', ')}`,
      });
    } else if (header.has(name)) {
      issues.push({ field: `header[${index + 1}]`, reason: `column ${name} appears twice` });
    } else {
      header.set(name, index);
    }
  });
  for (const required of ['to', 'subject'] as const) {
    if (!header.has(required)) {
      issues.push({ field: 'header', reason: `missing required column ${required}` });
    }
  }
  if (!header.has('from') && !hasDefaultFrom) {
    issues.push({
      field: 'header',
      reason: 'missing column from (or send a form field "from" before the file)',
    });
  }
  return issues.length > 0 ? { issues } : { header };
}

function splitList(cell: string): string[] {
  return cell
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * One data record as the body of a schedule request. Empty cells are absent fields (an empty `sendAt`
 * means now); a row's own `from` wins over the form field. Only presence is checked here: the domain
 * judges addresses, sizes, control characters and `sendAt`, as it does for JSON requests.
 */
export function mapRow(
  header: CsvHeader,
  cells: readonly string[],
  defaultFrom: string | undefined,
): { input: ScheduleEmailInput } | { issues: FieldIssue[] } {
  const lists: Partial<Record<CsvColumn, string[]>> = {};
  const scalars: Partial<Record<CsvColumn, string>> = {};
  for (const [column, index] of header) {
    const cell = cells[index] ?? '';
    if (LIST_COLUMNS.has(column)) {
      const items = splitList(cell);
      if (items.length > 0) lists[column] = items;
    } else if (column === 'text' || column === 'html' || column === 'subject') {
      // Bodies and subjects are taken as written; the domain judges their whitespace.
      if (cell !== '') scalars[column] = cell;
    } else if (cell.trim() !== '') {
      scalars[column] = cell.trim();
    }
  }
  const from = scalars.from ?? defaultFrom;
  const { to } = lists;
  const { subject } = scalars;
  const issues: FieldIssue[] = [];
  if (from === undefined || from.trim() === '')
    issues.push({ field: 'from', reason: 'is required' });
  if (to === undefined) issues.push({ field: 'to', reason: 'is required' });
  if (subject === undefined) issues.push({ field: 'subject', reason: 'is required' });
  if (from === undefined || to === undefined || subject === undefined || issues.length > 0) {
    return { issues };
  }
  return {
    input: {
      from,
      to,
      subject,
      ...optional('cc', lists.cc),
      ...optional('bcc', lists.bcc),
      ...optional('text', scalars.text),
      ...optional('html', scalars.html),
      ...optional('sendAt', scalars.sendAt),
      ...optional('tags', lists.tags),
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
