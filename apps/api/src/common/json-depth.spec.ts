import { JsonTooDeepError, jsonDepth, verifyJsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('{"a":[{"b":1}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[{{{\\"[[["}')).toBe(1);
    expect(jsonDepth('"x"')).toBe(0);
  });

  it('stops counting once past the limit', () => {
    expect(jsonDepth('['.repeat(100_000), 32)).toBe(33);
  });
});

describe('verifyJsonDepth', () => {
  it('lets a shallow body through and refuses a deep one with a 400 body-parser error', () => {
    const verify = verifyJsonDepth(3);
    expect(() => verify(undefined, undefined, Buffer.from('{"a":[{"b":1}]}'))).not.toThrow();
    let thrown: unknown;
    try {
      verify(undefined, undefined, Buffer.from('[[[[]]]]'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonTooDeepError);
    expect(thrown).toMatchObject({ status: 400, type: 'entity.too.deep' });
  });
});
