import { createHash } from 'node:crypto';
import { API_KEY_PREFIX, bearerToken, generateApiKey, hashApiKey, hashesMatch } from './api-key';

describe('API keys', () => {
  it('are esk_ followed by 32 random bytes in base64url', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^esk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
  });

  it('never repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });

  it('hash to the SHA-256 of the key, which does not contain the key', () => {
    const key = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash).toHaveLength(32);
    expect(hash.toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hash.toString('utf8')).not.toContain(key);
  });

  it('hash the same key to the same digest, different keys to different digests', () => {
    const key = generateApiKey();
    expect(hashApiKey(key).equals(hashApiKey(key))).toBe(true);
    expect(hashApiKey(key).equals(hashApiKey(generateApiKey()))).toBe(false);
  });

  it('compare hashes in constant time, refusing different lengths', () => {
    const hash = hashApiKey('a');
    expect(hashesMatch(hash, Buffer.from(hash))).toBe(true);
    expect(hashesMatch(hash, hashApiKey('b'))).toBe(false);
    expect(hashesMatch(hash, hash.subarray(0, 16))).toBe(false);
  });

  it.each<[string | string[] | undefined, string | undefined]>([
    ['Bearer esk_abc', 'esk_abc'],
    ['bearer esk_abc ', 'esk_abc'],
    ['Bearer  esk_abc', 'esk_abc'],
    [undefined, undefined],
    ['', undefined],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer a b', undefined],
    [['Bearer a', 'Bearer b'], undefined],
  ])('reads the bearer token of %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
