import { bodyTextProblem, headerTextProblem } from './header-text';

describe('headerTextProblem', () => {
  const forbidden = [
    ...Array.from({ length: 0x20 }, (_, code) => code),
    0x7f,
    ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
    0x2028,
    0x2029,
  ];

  it.each(forbidden.map((code) => [code.toString(16).padStart(4, '0'), code]))(
    'rejects U+%s anywhere in the value',
    (_, code) => {
      const char = String.fromCharCode(code);
      for (const value of [char, `a${char}`, `${char}a`, `a${char}b`]) {
        expect(headerTextProblem(value)).toMatch(/control or line-break/);
      }
    },
  );

  it.each([
    ['plain ASCII', 'Hello, world!'],
    ['U+00A0 (the first character after C1)', 'a\u00a0b'],
    ['accented letters', 'Zoë Ångström'],
    ['an emoji (a surrogate pair)', 'Hi 👋'],
    ['U+202E, which is confusing but cannot break a line', 'a\u202eb'],
    ['an empty string', ''],
  ])('accepts %s', (_, value) => {
    expect(headerTextProblem(value)).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00a'],
    ['a reversed pair', '\ude00\ud83d'],
  ])('rejects %s', (_, value) => {
    expect(headerTextProblem(value)).toBe(
      'must be valid Unicode text (found an unpaired surrogate)',
    );
  });
});

describe('bodyTextProblem', () => {
  it('allows the line breaks and tabs a body is made of', () => {
    expect(bodyTextProblem('line 1\r\nline 2\n\tindented\u2028')).toBeUndefined();
  });

  it('refuses NUL, which Postgres cannot store', () => {
    expect(bodyTextProblem('a\u0000b')).toBe('must not contain NUL characters');
  });

  it('refuses an unpaired surrogate', () => {
    expect(bodyTextProblem('a\ud800b')).toBe(
      'must be valid Unicode text (found an unpaired surrogate)',
    );
  });
});
