// REDIS_URL in its three forms, read into the ioredis options that every connection of ours is made
// from (the shared client, the api's rate-limit counters, BullMQ's own connections):
//
//   redis://[[user]:password@]host[:port][/db]       rediss://… the same over TLS
//   redis+sentinel://[[user]:password@]host[:port][,host[:port]…]/<master name>[/db][?sentinelPassword=…&sentinelUsername=…]
//   redis+cluster://[[user]:password@]host[:port][,host[:port]…]     a Redis Cluster (database 0, the only one)
//
// The sentinel form lists the Sentinels (port 26379 unless given); ioredis asks them for the
// current master and follows a failover. The credentials before `@` are the Redis servers'; the
// Sentinels' own go in the query. The cluster form lists some of the cluster's nodes (seeds); ioredis
// learns the rest and follows the slots as they move.

/** The connection part of ioredis's options; callers add their own behaviour options. */
export type RedisConnectionOptions =
  | {
      readonly host: string;
      readonly port: number;
      readonly db: number;
      readonly username?: string;
      readonly password?: string;
      readonly tls?: Record<string, never>;
    }
  | {
      readonly sentinels: readonly { readonly host: string; readonly port: number }[];
      /** The master group name the Sentinels monitor. */
      readonly name: string;
      readonly db: number;
      readonly username?: string;
      readonly password?: string;
      readonly sentinelUsername?: string;
      readonly sentinelPassword?: string;
    }
  | {
      /** Seed nodes of a Redis Cluster. */
      readonly cluster: readonly { readonly host: string; readonly port: number }[];
      readonly username?: string;
      readonly password?: string;
    };

/** REDIS_URL is not one of the three forms; the message says what was expected. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

const SENTINEL_SCHEME = 'redis+sentinel://';
const CLUSTER_SCHEME = 'redis+cluster://';
const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;
const MAX_DB = 65535;

export const REDIS_URL_FORMS = 'a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL';

export function parseRedisUrl(raw: string): RedisConnectionOptions {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower.startsWith(SENTINEL_SCHEME))
    return parseSentinelUrl(value.slice(SENTINEL_SCHEME.length));
  if (lower.startsWith(CLUSTER_SCHEME)) return parseClusterUrl(value.slice(CLUSTER_SCHEME.length));
  return parseServerUrl(value);
}

function parseClusterUrl(rest: string): RedisConnectionOptions {
  const form = 'expected redis+cluster://[password@]host[:port][,host[:port]…]';
  const match = /^(?:([^@/]*)@)?([^/?#]+)\/?$/.exec(rest);
  if (!match) throw new RedisUrlError(form);
  const [, userinfo, hostList = ''] = match;
  const cluster = hostList.split(',').map((entry) => nodeAddress(entry, DEFAULT_PORT, form));
  const [user = '', password = ''] = userinfo === undefined ? [] : splitUserinfo(userinfo);
  return { cluster, ...credentials(user, password) };
}

function parseServerUrl(value: string): RedisConnectionOptions {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RedisUrlError(`expected ${REDIS_URL_FORMS}`);
  }
  if (!['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) {
    throw new RedisUrlError(`expected ${REDIS_URL_FORMS}`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? DEFAULT_PORT : Number(url.port),
    db: database(url.pathname.replace(/^\//, '')),
    ...credentials(url.username, url.password),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function parseSentinelUrl(rest: string): RedisConnectionOptions {
  const form = 'expected redis+sentinel://[password@]host[:port][,host[:port]…]/<master name>[/db]';
  const match = /^(?:([^@/]*)@)?([^/?#]+)\/([^/?#]+)(?:\/([^/?#]*))?\/?(?:\?([^#]*))?$/.exec(rest);
  if (!match) throw new RedisUrlError(form);
  const [, userinfo, hostList = '', name = '', db = '', query = ''] = match;
  const sentinels = hostList
    .split(',')
    .map((entry) => nodeAddress(entry, DEFAULT_SENTINEL_PORT, form));
  const [user = '', password = ''] = userinfo === undefined ? [] : splitUserinfo(userinfo);
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'sentinelPassword' && key !== 'sentinelUsername') {
      throw new RedisUrlError(`unknown parameter ${key}: only sentinelPassword, sentinelUsername`);
    }
  }
  const sentinelUsername = params.get('sentinelUsername');
  const sentinelPassword = params.get('sentinelPassword');
  return {
    sentinels,
    name: decode(name),
    db: database(db),
    ...credentials(user, password),
    ...(sentinelUsername ? { sentinelUsername } : {}),
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

function nodeAddress(
  entry: string,
  defaultPort: number,
  form: string,
): { host: string; port: number } {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/i.exec(entry.trim());
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  if (!host || port < 1 || port > 65535) throw new RedisUrlError(form);
  return { host, port };
}

function splitUserinfo(userinfo: string): [string, string] {
  const colon = userinfo.indexOf(':');
  return colon === -1 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
}

function database(path: string): number {
  if (path === '') return 0;
  const db = /^\d{1,5}$/.test(path) ? Number(path) : Number.NaN;
  if (!(db <= MAX_DB)) {
    throw new RedisUrlError('expected a database index as the path, e.g. /0');
  }
  return db;
}

function credentials(user: string, password: string): { username?: string; password?: string } {
  return {
    ...(user ? { username: decode(user) } : {}),
    ...(password ? { password: decode(password) } : {}),
  };
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new RedisUrlError('expected a URL whose escapes (%xx) are valid');
  }
}
