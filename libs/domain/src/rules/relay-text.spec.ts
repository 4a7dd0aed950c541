import { MAX_RELAY_TEXT_CODE_POINTS, sanitizeRelayText } from './relay-text';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('sanitizeRelayText', () => {
  it('keeps an ordinary reply as it is', () => {
    expect(sanitizeRelayText('250 2.0.0 Ok: queued as 4F2C1')).toBe(
      '250 2.0.0 Ok: queued as 4F2C1',
    );
  });

  it('replaces NUL, other controls, DEL and C1 with a space, collapsing runs', () => {
    expect(sanitizeRelayText('250\u0000ok\r\n250-more\u001b[31m\u007f\u0085x\t')).toBe(
      '250 ok 250-more [31m x',
    );
  });

  it('replaces lone surrogates with U+FFFD and keeps real pairs', () => {
    expect(sanitizeRelayText('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });

  it('cuts by code points, never splitting a surrogate pair, and says it cut', () => {
    const long = '😀'.repeat(MAX_RELAY_TEXT_CODE_POINTS + 5);
    const cut = sanitizeRelayText(long);
    expect([...cut]).toHaveLength(MAX_RELAY_TEXT_CODE_POINTS);
    expect(cut.endsWith('😀…')).toBe(true);
    expect(cut).not.toMatch(LONE_SURROGATE);
    expect(sanitizeRelayText('abcdef', 4)).toBe('abc…');
  });

  it('answers well-formed text for any input', () => {
    const nasty = Array.from({ length: 2000 }, (_, i) =>
      String.fromCharCode((i * 7919) % 0x10000),
    ).join('');
    const out = sanitizeRelayText(nasty);
    expect(out).not.toMatch(LONE_SURROGATE);
    const controls = [...out].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(JSON.parse(JSON.stringify({ out }))).toEqual({ out });
  });
});
