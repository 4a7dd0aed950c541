import { parseCsv, previewCsv } from '../src/csv';

describe('the import preview’s CSV reader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('to,subject\r\n"a@x.example;b@x.example","Hi, ""you""\nthere"\n')).toEqual([
      ['to', 'subject'],
      ['a@x.example;b@x.example', 'Hi, "you"\nthere'],
    ]);
  });

  it('skips blank lines and a byte-order mark, as the api does', () => {
    expect(parseCsv('\uFEFFto\n\nbob@x.example\n\n')).toEqual([['to'], ['bob@x.example']]);
  });

  it('previews the first rows and counts them all', () => {
    const text = ['to,subject', ...Array.from({ length: 30 }, (_, i) => `u${i}@x.example,S${i}`)];
    const preview = previewCsv(text.join('\n'), 20);
    expect(preview.header).toEqual(['to', 'subject']);
    expect(preview.rows).toHaveLength(20);
    expect(preview.totalRows).toBe(30);
    expect(preview.problem).toBeUndefined();
  });

  it('names an unclosed quote instead of guessing', () => {
    expect(previewCsv('to\n"bob@x.example\n').problem).toBe('a quoted field is never closed');
  });
});
