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
  'templateId',
  'templateVersion',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** `var.<name>`: one template variable per column, its cells taken as strings. */
export const VARIABLE_COLUMN_PREFIX = 'var.';
type VariableColumn = `${typeof VARIABLE_COLUMN_PREFIX}${string}`;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

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

/** The template's fields as columns. */
const TEMPLATE_FIELDS: Readonly<Record<string, CsvColumn>> = {
  'template.id': 'templateId',
  'template.version': 'templateVersion',
};

/**
 * A domain issue's field as the file names it: `deliveryWindow.start` is the `windowStart` column,
 * `template.id` `templateId`, `template.variables.name` `var.name`; the other fields are already their
 * columns' names.
 */
export function csvField(field: string): string {
  const part = /^deliveryWindow\.(\w+)$/.exec(field)?.[1];
  if (part !== undefined && part in WINDOW_COLUMNS) {
    return WINDOW_COLUMNS[part as keyof typeof WINDOW_COLUMNS];
  }
  const variable = /^template\.variables\.(.+)$/.exec(field)?.[1];
  if (variable !== undefined) return `${VARIABLE_COLUMN_PREFIX}${variable}`;
  return TEMPLATE_FIELDS[field] ?? field;
}

/** Where each named column sits in a record. */
export type CsvHeader = ReadonlyMap<CsvColumn | MetadataColumn | VariableColumn, number>;

type PrefixColumn = MetadataColumn | VariableColumn;

function isColumn(name: string): name is CsvColumn | PrefixColumn {
  if (name.startsWith(VARIABLE_COLUMN_PREFIX))
    return VARIABLE_NAME.test(name.slice(VARIABLE_COLUMN_PREFIX.length));
  // A metadata key itself is the domain's to judge (as for JSON), naming it `metadata.<key>`.
  return (
    (CSV_COLUMNS as readonly string[]).includes(name) ||
    (name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length)
  );
}

function isMetadataColumn(column: CsvColumn | PrefixColumn): column is MetadataColumn {
  return column.startsWith(METADATA_PREFIX);
}

/**
 * The header row as column positions, or the problems that make the file unusable: an unknown or
 * repeated column, a missing `to`, a missing `subject` (unless there is a `templateId`), or no sender
 * (neither a `from` column nor a form field).
 */
export function parseHeader(
  cells: readonly string[],
  hasDefaultFrom: boolean,
): { header: CsvHeader } | { issues: FieldIssue[] } {
  const header = new Map<CsvColumn | PrefixColumn, number>();
  const issues: FieldIssue[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    if (!isColumn(name)) {
      issues.push({
        field: `header[${index + 1}]`,
        reason: `unknown column ${JSON.stringify(name)}; expected some of ${CSV_COLUMNS.join(', ')}, metadata.<key>, var.<name>`,
      });
    } else if (header.has(name)) {
      issues.push({ field: `header[${index + 1}]`, reason: `column ${name} appears twice` });
    } else {
      header.set(name, index);
    }
  });
  for (const required of ['to', 'subject'] as const) {
    if (!header.has(required) && !(required === 'subject' && header.has('templateId'))) {
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
  // A map, made an object with its own keys at the end: `metadata.__proto__` is a column like any other.
  const metadata = new Map<string, string>();
  const variables = new Map<string, string>();
  for (const [column, index] of header) {
    const cell = cells[index] ?? '';
    if (isMetadataColumn(column)) {
      if (cell.trim() !== '') metadata.set(column.slice(METADATA_PREFIX.length), cell.trim());
    } else if (column.startsWith(VARIABLE_COLUMN_PREFIX)) {
      // Taken as written, an empty cell too: a template tells "" from absent, and absent is a 400.
      variables.set(column.slice(VARIABLE_COLUMN_PREFIX.length), cell);
    } else if (LIST_COLUMNS.has(column as CsvColumn)) {
      const items = splitList(cell);
      if (items.length > 0) lists[column as CsvColumn] = items;
    } else if (column === 'text' || column === 'html' || column === 'subject') {
      // Bodies and subjects are taken as written; the domain judges their whitespace.
      if (cell !== '') scalars[column] = cell;
    } else if (cell.trim() !== '') {
      scalars[column as CsvColumn] = cell.trim();
    }
  }
  const from = scalars.from ?? defaultFrom;
  const { to } = lists;
  const { subject } = scalars;
  const issues: FieldIssue[] = [];
  if (from === undefined || from.trim() === '')
    issues.push({ field: 'from', reason: 'is required' });
  if (to === undefined) issues.push({ field: 'to', reason: 'is required' });
  const template = templateOf(scalars, Object.fromEntries(variables), issues);
  if (subject === undefined && scalars.templateId === undefined)
    issues.push({ field: 'subject', reason: 'is required' });
  const window = deliveryWindow(scalars, issues);
  if (from === undefined || to === undefined || issues.length > 0) {
    return { issues };
  }
  return {
    input: {
      from,
      to,
      ...optional('subject', subject),
      ...optional('template', template),
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
      ...optional('metadata', metadata.size > 0 ? Object.fromEntries(metadata) : undefined),
    },
  };
}

/** A row's template: its `templateId`, `templateVersion` (a whole number) and `var.<name>` cells. */
function templateOf(
  scalars: Partial<Record<CsvColumn, string>>,
  variables: Record<string, string>,
  issues: FieldIssue[],
): { id: string; version?: number; variables: Record<string, string> } | undefined {
  const { templateId, templateVersion } = scalars;
  if (templateId === undefined) {
    if (templateVersion !== undefined) {
      issues.push({ field: 'templateId', reason: 'is required when templateVersion is set' });
    }
    return undefined;
  }
  if (templateVersion !== undefined && !/^[1-9][0-9]{0,8}$/.test(templateVersion)) {
    issues.push({ field: 'templateVersion', reason: 'must be a version number from 1' });
    return undefined;
  }
  return {
    id: templateId,
    ...optional('version', templateVersion === undefined ? undefined : Number(templateVersion)),
    variables,
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
