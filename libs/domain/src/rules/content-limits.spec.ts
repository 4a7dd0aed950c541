import {
  bodyIssues,
  MAX_TAG_LENGTH,
  subjectProblem,
  tagIssues,
  utf8ByteLength,
} from './content-limits';

describe('utf8ByteLength', () => {
  it.each([
    ['empty', '', 0],
    ['ASCII', 'hello', 5],
    ['a 2-byte character', 'é', 2],
    ['a 3-byte character', '€', 3],
    ['an astral character (surrogate pair)', '😀', 4],
    ['a mix', 'a é € 😀', 1 + 1 + 2 + 1 + 3 + 1 + 4],
    ['CJK', '日本語', 9],
    ['an unpaired high surrogate (becomes U+FFFD)', '\ud800', 3],
    ['an unpaired low surrogate', '\udc00x', 4],
    ['a reversed pair', '\ude00\ud83d', 6],
  ])('counts %s', (_, value, expected) => {
    expect(utf8ByteLength(value)).toBe(expected);
  });

  it('agrees with TextEncoder on every kind of text', () => {
    const samples = [
      '',
      'plain',
      'ÀÉÎÕÜ',
      '\u07ff\u0800\uffff',
      '𝄞 music',
      '\ud83d\ude00\ud800',
      '\u0000\u007f\u0080',
    ];
    for (const sample of samples) {
      expect(utf8ByteLength(sample)).toBe(new TextEncoder().encode(sample).length);
    }
  });
});

describe('subjectProblem', () => {
  it.each([
    ['plain text', 'Your invoice'],
    ['non-ASCII', 'Rechnung für Zoë — 10 €'],
    ['"%0d%0a", which is literal text until someone decodes it', 'a%0d%0ab'],
    ['exactly the limit', 'x'.repeat(998)],
  ])('accepts %s', (_, subject) => {
    expect(subjectProblem(subject, 998)).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'is required'],
    ['not a string', 42, 'is required'],
    ['blank', ' \u00a0 ', 'is required'],
    ['one over the limit', 'x'.repeat(999), 'must be at most 998 characters'],
    [
      'CR LF',
      'Hi\r\nBcc: eve@evil.example',
      'must not contain control or line-break characters (found U+000D)',
    ],
    ['LF', 'Hi\nthere', 'must not contain control or line-break characters (found U+000A)'],
    ['TAB', 'Hi\tthere', 'must not contain control or line-break characters (found U+0009)'],
    ['NEL', 'Hi\u0085there', 'must not contain control or line-break characters (found U+0085)'],
    ['U+2028', 'Hi\u2028there', 'must not contain control or line-break characters (found U+2028)'],
    ['U+2029', 'Hi\u2029there', 'must not contain control or line-break characters (found U+2029)'],
    [
      'an unpaired surrogate',
      'Hi \udc00',
      'must be valid Unicode text (found an unpaired surrogate)',
    ],
  ])('rejects %s', (_, subject, reason) => {
    expect(subjectProblem(subject, 998)).toBe(reason);
  });

  it('checks control characters before length, naming the more dangerous problem', () => {
    expect(subjectProblem(`${'x'.repeat(1000)}\r\n`, 998)).toMatch(/control/);
  });
});

describe('bodyIssues', () => {
  it.each([
    ['text only', 'hello', undefined],
    ['html only', undefined, '<p>hello</p>'],
    ['both', 'hello', '<p>hello</p>'],
    ['an empty text beside html', '', '<p>hello</p>'],
    ['line breaks and tabs', 'a\r\n\tb', undefined],
  ])('accepts %s', (_, text, html) => {
    expect(bodyIssues(text, html, 1000)).toEqual([]);
  });

  it('requires some content', () => {
    expect(bodyIssues(undefined, undefined, 1000)).toEqual([
      { field: 'body', reason: 'text or html is required' },
    ]);
    expect(bodyIssues('  ', '\n', 1000)).toEqual([
      { field: 'body', reason: 'text or html is required' },
    ]);
  });

  it('measures text and html together, in bytes', () => {
    expect(bodyIssues('€€', '€€', 12)).toEqual([]);
    expect(bodyIssues('€€', '€€€', 12)).toEqual([
      {
        field: 'body',
        reason: 'text and html together must be at most 12 bytes of UTF-8 (got 15)',
      },
    ]);
  });

  it('names the part holding a NUL or an unpaired surrogate', () => {
    expect(bodyIssues('a\u0000', '<p>\ud800</p>', 1000)).toEqual([
      { field: 'text', reason: 'must not contain NUL characters' },
      { field: 'html', reason: 'must be valid Unicode text (found an unpaired surrogate)' },
    ]);
  });

  it('rejects a part that is not a string', () => {
    expect(bodyIssues(42, '<p>x</p>', 1000)).toEqual([
      { field: 'text', reason: 'must be a string' },
    ]);
  });
});

describe('tagIssues', () => {
  it.each([
    ['no tags', undefined],
    ['an empty list', []],
    ['the full alphabet', ['Aa0_.:-', 'invoice', 'tier:gold', 'v1.2', 'a-b_c']],
    ['twenty tags', Array.from({ length: 20 }, (_, i) => `t${i}`)],
    ['a 64-character tag', ['x'.repeat(MAX_TAG_LENGTH)]],
  ])('accepts %s', (_, tags) => {
    expect(tagIssues(tags)).toEqual([]);
  });

  it('rejects more than twenty tags', () => {
    expect(tagIssues(Array.from({ length: 21 }, (_, i) => `t${i}`))).toEqual([
      { field: 'tags', reason: 'must hold at most 20 tags' },
    ]);
  });

  it('rejects a tags value that is not a list', () => {
    expect(tagIssues('invoice')).toEqual([{ field: 'tags', reason: 'must be a list of strings' }]);
  });

  it('names each bad tag by index', () => {
    expect(tagIssues(['ok', '', 'x'.repeat(65), 'a b', 'a\r\nb', 'naïve', 'x\u2028', 7])).toEqual([
      { field: 'tags[1]', reason: 'must be a non-empty string' },
      { field: 'tags[2]', reason: 'must be at most 64 characters' },
      { field: 'tags[3]', reason: 'may contain only letters, digits and _ . : -' },
      { field: 'tags[4]', reason: 'may contain only letters, digits and _ . : -' },
      { field: 'tags[5]', reason: 'may contain only letters, digits and _ . : -' },
      { field: 'tags[6]', reason: 'may contain only letters, digits and _ . : -' },
      { field: 'tags[7]', reason: 'must be a non-empty string' },
    ]);
  });
});
