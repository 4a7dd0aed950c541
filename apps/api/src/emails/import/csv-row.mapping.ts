import type { FieldIssue } from '../../common/validation';
import type { ScheduleEmailInput } from '../commands/schedule-email.command';

/** The columns a CSV import may name in its header row, in any order. */
export const CSV_COLUMNS = [
  'to',
  'cc',
  'bcc',
  'replyTo',
  'subject',
  'text',
  'html',
  'sendAt',
  'tags',
  'from',
  'timeZone',
  'expiresAt',
  'windowTimeZone',
  'windowDays',
  'windowStart',
  'windowEnd',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Cells of these columns hold lists, items separated by `;` (commas may sit inside display names). */
const LIST_COLUMNS: ReadonlySet<CsvColumn> = new Set(['to', 'cc', 'bcc', 'replyTo', 'tags']);

/** `metadata.<key>`: one column per metadata key, the cell its value (an empty cell: no such key). */
const METADATA_PREFIX = 'metadata.';
type MetadataColumn = `metadata.${string}`;
export const LIST_SEPARATOR = ';';

/** The delivery window's parts, one column each: all four or none. */
const WINDOW_COLUMNS = {
  timeZone: 'windowTimeZone',
  days: 'windowDays',
  start: 'windowStart',
  end: 'windowEnd',
} as const satisfies Record<string, CsvColumn>;

/**
 * A domain issue's field as the file names it: `deliveryWindow.start` is the `windowStart` column; the
 * other fields are already their columns' names.
 */
export function csvField(field: string): string {
  const part = /^deliveryWindow\.(\w+)$/.exec(field)?.[1];
  return part !== undefined && part in WINDOW_COLUMNS
    ? WINDOW_COLUMNS[part as keyof typeof WINDOW_COLUMNS]
    : field;
}

/** Where each named column sits in a record. */
export type CsvHeader = ReadonlyMap<CsvColumn | MetadataColumn, number>;

function isColumn(name: string): name is CsvColumn | MetadataColumn {
  // The key itself is the domain's to judge (as for JSON), naming it `metadata.<key>`.
  return (
    (CSV_COLUMNS as readonly string[]).includes(name) ||
    (name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length)
  );
}

function isMetadataColumn(column: CsvColumn | MetadataColumn): column is MetadataColumn {
  return column.startsWith(METADATA_PREFIX);
}

/**
 * The header row as column positions, or the problems that make the file unusable: an unknown or
 * repeated column, a missing `to` or `subject`, or no sender (neither a `from` column nor a form field).
 */
export function parseHeader(
  cells: readonly string[],
  hasDefaultFrom: boolean,
): { header: CsvHeader } | { issues: FieldIssue[] } {
  const header = new Map<CsvColumn | MetadataColumn, number>();
  const issues: FieldIssue[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    if (!isColumn(name)) {
      issues.push({
        field: `header[${index + 1}]`,
        reason: `unknown column ${JSON.stringify(name)}; expected some of ${CSV_COLUMNS.join(', ')}, metadata.<key>`,
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
 * means now); a row's own `from` wins over the form field; `windowDays` holds days separated by spaces;
 * each `metadata.<key>` cell is that key's value.
 * Only presence is checked here (a window needs all four of its columns): the domain judges addresses,
 * sizes, control characters, `sendAt`, zones, the window's parts and `expiresAt`, as it does for JSON.
 */
export function mapRow(
  header: CsvHeader,
  cells: readonly string[],
  defaultFrom: string | undefined,
): { input: ScheduleEmailInput } | { issues: FieldIssue[] } {
  const lists: Partial<Record<CsvColumn, string[]>> = {};
  const scalars: Partial<Record<CsvColumn, string>> = {};
  const metadata: Record<string, string> = {};
  for (const [column, index] of header) {
    const cell = cells[index] ?? '';
    if (isMetadataColumn(column)) {
      if (cell.trim() !== '') metadata[column.slice(METADATA_PREFIX.length)] = cell.trim();
    } else if (LIST_COLUMNS.has(column)) {
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
  const window = deliveryWindow(scalars, issues);
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
      ...optional('replyTo', lists.replyTo),
      ...optional('text', scalars.text),
      ...optional('html', scalars.html),
      ...optional('sendAt', scalars.sendAt),
      ...optional('tags', lists.tags),
      ...optional('timeZone', scalars.timeZone),
      ...optional('expiresAt', scalars.expiresAt),
      ...optional('deliveryWindow', window),
      ...optional('metadata', Object.keys(metadata).length > 0 ? metadata : undefined),
    },
  };
}

/** The window of a row's four window cells: none when all are empty, an issue per empty one otherwise. */
function deliveryWindow(
  scalars: Partial<Record<CsvColumn, string>>,
  issues: FieldIssue[],
): { timeZone: string; days: string[]; start: string; end: string } | undefined {
  const cells = Object.values(WINDOW_COLUMNS).map((column) => [column, scalars[column]] as const);
  if (cells.every(([, cell]) => cell === undefined)) return undefined;
  for (const [column, cell] of cells) {
    if (cell === undefined) {
      issues.push({
        field: column,
        reason: `is required when any of ${Object.values(WINDOW_COLUMNS).join(', ')} is set`,
      });
    }
  }
  const { windowTimeZone, windowDays, windowStart, windowEnd } = scalars;
  if (
    windowTimeZone === undefined ||
    windowDays === undefined ||
    windowStart === undefined ||
    windowEnd === undefined
  ) {
    return undefined;
  }
  return {
    timeZone: windowTimeZone,
    days: windowDays.split(/\s+/),
    start: windowStart,
    end: windowEnd,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
