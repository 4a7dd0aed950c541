import { uuidV5 } from './uuid-v5';

describe('uuidV5', () => {
  it('matches the reference implementation for a known vector', () => {
    // uuid@8 v5('hello', DNS namespace)
    expect(uuidV5('hello', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '9342d47a-1bab-5709-9869-c840b2eac501',
    );
  });

  it('is deterministic and sensitive to the name', () => {
    const ns = '8da41dd5-4233-485f-82ad-f97e3608bb9e';
    expect(uuidV5('a', ns)).toBe(uuidV5('a', ns));
    expect(uuidV5('a', ns)).not.toBe(uuidV5('b', ns));
  });
});
