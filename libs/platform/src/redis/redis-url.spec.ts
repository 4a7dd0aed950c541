import { RedisUrlError, parseRedisUrl } from './redis-url';
import { redisConnectionOptions } from './redis.module';

function problem(url: string): string {
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (error instanceof RedisUrlError) return error.message;
    throw error;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('REDIS_URL, one server', () => {
  it('reads host, port and database index', () => {
    expect(parseRedisUrl('redis://cache.internal:6380/4')).toEqual({
      host: 'cache.internal',
      port: 6380,
      db: 4,
    });
  });

  it('defaults to port 6379 and database 0', () => {
    expect(parseRedisUrl('redis://cache')).toEqual({ host: 'cache', port: 6379, db: 0 });
    expect(parseRedisUrl('redis://cache/')).toEqual({ host: 'cache', port: 6379, db: 0 });
  });

  it('decodes the credentials and turns on TLS for rediss://', () => {
    expect(parseRedisUrl('rediss://app:p%40ss%3Aword@cache:6380/1')).toEqual({
      host: 'cache',
      port: 6380,
      db: 1,
      username: 'app',
      password: 'p@ss:word',
      tls: {},
    });
    expect(parseRedisUrl('redis://:secret@cache')).toEqual({
      host: 'cache',
      port: 6379,
      db: 0,
      password: 'secret',
    });
  });

  it('takes an IPv6 literal without its brackets', () => {
    expect(parseRedisUrl('redis://[::1]:6379/2')).toEqual({ host: '::1', port: 6379, db: 2 });
  });

  it.each([
    [
      'http://cache:6379',
      'expected a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    ],
    ['cache:6379', 'expected a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL'],
    ['redis://cache/zero', 'expected a database index as the path, e.g. /0'],
    ['redis://cache/1/2', 'expected a database index as the path, e.g. /0'],
    ['redis://cache/65536', 'expected a database index as the path, e.g. /0'],
  ])('refuses %s', (url, message) => {
    expect(problem(url)).toBe(message);
  });
});

describe('REDIS_URL, a Sentinel group', () => {
  it('lists the Sentinels (26379 by default), the master name and the database', () => {
    expect(parseRedisUrl('redis+sentinel://s1:26380,s2,[fd00::3]:26381/mymaster/3')).toEqual({
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: 'fd00::3', port: 26381 },
      ],
      name: 'mymaster',
      db: 3,
    });
  });

  it('defaults to database 0, with or without a trailing slash', () => {
    for (const url of ['redis+sentinel://s1/mymaster', 'redis+sentinel://s1/mymaster/']) {
      expect(parseRedisUrl(url)).toEqual({
        sentinels: [{ host: 's1', port: 26379 }],
        name: 'mymaster',
        db: 0,
      });
    }
  });

  it("gives the servers' credentials from the userinfo and the Sentinels' from the query", () => {
    expect(
      parseRedisUrl(
        'redis+sentinel://app:s%40cret@s1,s2/cache-main/1?sentinelPassword=s%26p&sentinelUsername=watcher',
      ),
    ).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'cache-main',
      db: 1,
      username: 'app',
      password: 's@cret',
      sentinelUsername: 'watcher',
      sentinelPassword: 's&p',
    });
  });

  it('is recognised whatever the case of its scheme', () => {
    expect(parseRedisUrl('Redis+Sentinel://s1/m')).toMatchObject({ name: 'm' });
  });

  it.each([
    ['redis+sentinel://s1,s2', 'expected redis+sentinel://'],
    ['redis+sentinel://s1,s2/', 'expected redis+sentinel://'],
    ['redis+sentinel://s1,,s2/m', 'expected redis+sentinel://'],
    ['redis+sentinel://s1:99999/m', 'expected redis+sentinel://'],
    ['redis+sentinel://s1/m/x', 'expected a database index as the path, e.g. /0'],
    ['redis+sentinel://s1/m/0?tls=true', 'unknown parameter tls'],
    ['redis+sentinel://s1/%E0%A4%A/0', 'expected a URL whose escapes (%xx) are valid'],
  ])('refuses %s', (url, message) => {
    expect(problem(url)).toContain(message);
  });
});

describe('REDIS_URL, a Redis Cluster', () => {
  it('lists the seed nodes (6379 by default) and the credentials', () => {
    expect(parseRedisUrl('redis+cluster://:s%40cret@n1:7000,n2,[fd00::3]:7002')).toEqual({
      cluster: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 6379 },
        { host: 'fd00::3', port: 7002 },
      ],
      password: 's@cret',
    });
  });

  it.each([
    ['redis+cluster://', 'expected redis+cluster://[password@]host[:port][,host[:port]…]'],
    ['redis+cluster://n1:7000/0', 'expected redis+cluster://[password@]host[:port][,host[:port]…]'],
    ['redis+cluster://n1:99999', 'expected redis+cluster://[password@]host[:port][,host[:port]…]'],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});

describe('the ioredis options of our connections', () => {
  it('keep commands waiting through a reconnect, as BullMQ requires', () => {
    expect(redisConnectionOptions('redis://cache/5')).toEqual({
      host: 'cache',
      port: 6379,
      db: 5,
      maxRetriesPerRequest: null,
    });
  });

  it('hand ioredis the Sentinels and the master name', () => {
    expect(redisConnectionOptions('redis+sentinel://:pw@s1,s2:26390/mymaster/2')).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26390 },
      ],
      name: 'mymaster',
      db: 2,
      password: 'pw',
      maxRetriesPerRequest: null,
    });
  });
});
