import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { REDIS_CLIENT, errorMessage, withTimeout, type RedisClient } from '@app/platform';

/** How long taking or giving back a slot may wait for Redis. */
const REDIS_TIMEOUT_MS = 2_000;

/**
 * Takes a slot if fewer than ARGV[2] are held: a sorted set of slot ids scored by when each lapses,
 * lapsed ones dropped first (an api process that died mid-import gives its slot back that way).
 * Redis's clock, so that api processes whose clocks differ agree. 1 taken, 0 full.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
local lapses = now + tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], lapses, ARGV[3])
redis.call('PEXPIREAT', KEYS[1], lapses)
return 1
`;

/** The Redis key of one API key's slots (its braces keep it in one slot of a Redis Cluster). */
export function importSlotsKey(keyId: string): string {
  return `import-slots:{${keyId}}`;
}

/** A slot held by one import; `release` gives it back (once is enough, twice is harmless). */
export interface ImportSlot {
  release(): Promise<void>;
}

/**
 * Imports in flight per API key (or session), counted in Redis so the cap holds across every api
 * process: a key that holds its imports open (slow uploads) cannot take the api's connections or
 * rows-in-flight from everyone else.
 */
@Injectable()
export class ImportSlots {
  private readonly logger = new Logger('ImportSlots');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  /** A slot for `keyId`, or undefined when it already holds `limit`; 503 while Redis is away. */
  async take(keyId: string, limit: number, leaseMs: number): Promise<ImportSlot | undefined> {
    const key = importSlotsKey(keyId);
    const id = randomUUID();
    let taken: unknown;
    try {
      taken = await withTimeout(
        this.redis.eval(TAKE, 1, key, String(leaseMs), String(limit), id),
        REDIS_TIMEOUT_MS,
        'Redis',
      );
    } catch (error) {
      this.logger.warn(`could not count the imports of a key: ${errorMessage(error)}`);
      throw new ServiceUnavailableException('CSV imports are unavailable for a moment');
    }
    if (taken !== 1) return undefined;
    return {
      release: async () => {
        // A slot not given back lapses with its lease.
        await withTimeout(this.redis.zrem(key, id), REDIS_TIMEOUT_MS, 'Redis').catch(
          (error: unknown) =>
            this.logger.warn(`could not give a slot back: ${errorMessage(error)}`),
        );
      },
    };
  }
}
