// A small RFC 4180 reader for the import page's preview only: the api parses the file itself and
// is the judge of every row. Quoted fields may hold commas, quotes ("") and line breaks.

export interface CsvPreview {
  readonly header: readonly string[];
  /** The first data rows, each as many cells as it has. */
  readonly rows: readonly (readonly string[])[];
  /** Data rows in the whole file (blank lines not counted, as the api counts them). */
  readonly totalRows: number;
  /** Set when the text is not well-formed CSV (an unclosed quote). */
  readonly problem?: string;
}

export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const source = text.replace(/^\uFEFF/, '');
  const endRecord = (): void => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    field = '';
  };
  while (i < source.length) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      endRecord();
      if (char === '\r' && source[i + 1] === '\n') i += 1;
    } else field += char;
    i += 1;
  }
  if (quoted) throw new Error('a quoted field is never closed');
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

export function previewCsv(text: string, maxRows = 20): CsvPreview {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    return {
      header: [],
      rows: [],
      totalRows: 0,
      problem: error instanceof Error ? error.message : String(error),
    };
  }
  const [header = [], ...rows] = records;
  return {
    header: header.map((cell) => cell.trim()),
    rows: rows.slice(0, maxRows),
    totalRows: rows.length,
  };
}
