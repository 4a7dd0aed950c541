import { csvField, mapRow, parseHeader, type CsvHeader } from './csv-row.mapping';

function header(cells: string[], hasDefaultFrom = false): CsvHeader {
  const parsed = parseHeader(cells, hasDefaultFrom);
  if (!('header' in parsed)) throw new Error(JSON.stringify(parsed.issues));
  return parsed.header;
}

describe('parseHeader', () => {
  it('accepts the known columns in any order, trimmed', () => {
    const parsed = header([' subject', 'to ', 'from', 'tags']);
    expect([...parsed]).toEqual([
      ['subject', 0],
      ['to', 1],
      ['from', 2],
      ['tags', 3],
    ]);
  });

  it('names unknown and repeated columns', () => {
    expect(parseHeader(['to', 'subject', 'from', 'body', 'to'], false)).toEqual({
      issues: [
        { field: 'header[4]', reason: expect.stringContaining('unknown column "body"') as unknown },
        { field: 'header[5]', reason: 'column to appears twice' },
      ],
    });
  });

  it('requires to and subject, and from unless the form names one', () => {
    expect(parseHeader(['text'], false)).toEqual({
      issues: [
        { field: 'header', reason: 'missing required column to' },
        { field: 'header', reason: 'missing required column subject' },
        { field: 'header', reason: expect.stringContaining('missing column from') as unknown },
      ],
    });
    expect(parseHeader(['to', 'subject'], true)).toHaveProperty('header');
  });
});

describe('mapRow', () => {
  const columns = header(['to', 'cc', 'bcc', 'subject', 'text', 'html', 'sendAt', 'tags', 'from']);

  it('splits list cells on ";" and drops empty cells', () => {
    expect(
      mapRow(
        columns,
        [
          'a@example.com; "Doe, Jo" <jo@example.com>;',
          '',
          'b@example.com',
          'Hi',
          'Body',
          '',
          ' 2030-01-01T00:00:00Z ',
          'x;y',
          'me@example.com',
        ],
        undefined,
      ),
    ).toEqual({
      input: {
        from: 'me@example.com',
        to: ['a@example.com', '"Doe, Jo" <jo@example.com>'],
        bcc: ['b@example.com'],
        subject: 'Hi',
        text: 'Body',
        sendAt: '2030-01-01T00:00:00Z',
        tags: ['x', 'y'],
      },
    });
  });

  it("prefers the row's from and falls back to the form field", () => {
    const cols = header(['to', 'subject', 'from']);
    expect(mapRow(cols, ['a@example.com', 'S', 'row@example.com'], 'form@example.com')).toEqual({
      input: { from: 'row@example.com', to: ['a@example.com'], subject: 'S' },
    });
    expect(mapRow(cols, ['a@example.com', 'S', ''], 'form@example.com')).toEqual({
      input: { from: 'form@example.com', to: ['a@example.com'], subject: 'S' },
    });
  });

  it('names the missing required cells', () => {
    expect(mapRow(columns, ['', '', '', '', '', '', '', '', ''], undefined)).toEqual({
      issues: [
        { field: 'from', reason: 'is required' },
        { field: 'to', reason: 'is required' },
        { field: 'subject', reason: 'is required' },
      ],
    });
  });

  it('leaves judging addresses to the domain', () => {
    expect(
      mapRow(columns, ['not an address', '', '', 'S', '', '', '', '', 'x'], undefined),
    ).toEqual({
      input: { from: 'x', to: ['not an address'], subject: 'S' },
    });
  });

  describe('the time columns', () => {
    const cols = header([
      'to',
      'subject',
      'from',
      'timeZone',
      'expiresAt',
      'windowTimeZone',
      'windowDays',
      'windowStart',
      'windowEnd',
    ]);
    const base = ['a@example.com', 'S', 'me@example.com'];

    it('takes timeZone and expiresAt as written, and the window from its four cells, days split on spaces', () => {
      expect(
        mapRow(
          cols,
          [
            ...base,
            'Europe/Paris',
            '2030-01-02T00:00',
            'Asia/Kolkata',
            ' mon  tue\tsat ',
            '22:00',
            '06:00',
          ],
          undefined,
        ),
      ).toEqual({
        input: {
          from: 'me@example.com',
          to: ['a@example.com'],
          subject: 'S',
          timeZone: 'Europe/Paris',
          expiresAt: '2030-01-02T00:00',
          deliveryWindow: {
            timeZone: 'Asia/Kolkata',
            days: ['mon', 'tue', 'sat'],
            start: '22:00',
            end: '06:00',
          },
        },
      });
    });

    it('has no window when its four cells are empty, and names each empty one of a partial window', () => {
      expect(mapRow(cols, [...base, '', '', '', '', '', ''], undefined)).toEqual({
        input: { from: 'me@example.com', to: ['a@example.com'], subject: 'S' },
      });
      expect(mapRow(cols, [...base, '', '', 'UTC', '', '09:00', ''], undefined)).toEqual({
        issues: [
          { field: 'windowDays', reason: expect.stringContaining('is required when') as unknown },
          { field: 'windowEnd', reason: expect.stringContaining('is required when') as unknown },
        ],
      });
    });

    it("names the domain's window issues by their columns", () => {
      expect(csvField('deliveryWindow.start')).toBe('windowStart');
      expect(csvField('deliveryWindow.timeZone')).toBe('windowTimeZone');
      expect(csvField('deliveryWindow')).toBe('deliveryWindow');
      expect(csvField('deliveryWindow.colour')).toBe('deliveryWindow.colour');
      expect(csvField('timeZone')).toBe('timeZone');
    });
  });

  it('takes replyTo as a list and each metadata.<key> column as that key, empty cells as no key', () => {
    const h = header(['to', 'subject', 'from', 'replyTo', 'metadata.customer', 'metadata.plan']);
    expect(
      mapRow(
        h,
        ['b@example.com', 'Hi', 'a@acme.example', 'r1@acme.example; r2@acme.example', ' 42 ', ''],
        undefined,
      ),
    ).toEqual({
      input: {
        from: 'a@acme.example',
        to: ['b@example.com'],
        subject: 'Hi',
        replyTo: ['r1@acme.example', 'r2@acme.example'],
        metadata: { customer: '42' },
      },
    });
    expect(parseHeader(['to', 'subject', 'from', 'metadata.'], false)).toEqual({
      issues: [expect.objectContaining({ field: 'header[4]' })],
    });
  });

  describe('a template', () => {
    const cols = header(['from', 'to', 'templateId', 'templateVersion', 'var.name', 'var.code']);
    const id = '0b8e3f0e-4a59-4a8e-9a34-6a3c1f1c2d3e';

    it('needs no subject column, only templateId', () => {
      expect(parseHeader(['to', 'from', 'templateId'], false)).toHaveProperty('header');
      expect(parseHeader(['to', 'from', 'var.x'], false)).toEqual({
        issues: [{ field: 'header', reason: 'missing required column subject' }],
      });
    });

    it('refuses a var column whose name is no variable name', () => {
      expect(parseHeader(['to', 'from', 'templateId', 'var.a-b', 'var.'], false)).toEqual({
        issues: [
          { field: 'header[4]', reason: expect.stringContaining('unknown column') as unknown },
          { field: 'header[5]', reason: expect.stringContaining('unknown column') as unknown },
        ],
      });
    });

    it('takes the version as a number and every var cell as a string, an empty one too', () => {
      expect(
        mapRow(cols, ['me@example.com', 'a@example.com', id, '3', 'Ann', ''], undefined),
      ).toEqual({
        input: {
          from: 'me@example.com',
          to: ['a@example.com'],
          template: { id, version: 3, variables: { name: 'Ann', code: '' } },
        },
      });
      expect(
        mapRow(cols, ['me@example.com', 'a@example.com', id, '', 'Ann', '1'], undefined),
      ).toEqual({
        input: {
          from: 'me@example.com',
          to: ['a@example.com'],
          template: { id, variables: { name: 'Ann', code: '1' } },
        },
      });
    });

    it('names a bad version, a version without a template, and a row with neither subject nor template', () => {
      expect(
        mapRow(cols, ['me@example.com', 'a@example.com', id, 'v2', '', ''], undefined),
      ).toEqual({
        issues: [{ field: 'templateVersion', reason: 'must be a version number from 1' }],
      });
      expect(mapRow(cols, ['me@example.com', 'a@example.com', '', '2', '', ''], undefined)).toEqual(
        {
          issues: [
            { field: 'templateId', reason: 'is required when templateVersion is set' },
            { field: 'subject', reason: 'is required' },
          ],
        },
      );
    });

    it("names the template's issues by their columns", () => {
      expect(csvField('template.id')).toBe('templateId');
      expect(csvField('template.version')).toBe('templateVersion');
      expect(csvField('template.variables.name')).toBe('var.name');
      expect(csvField('template')).toBe('template');
    });
  });
});
