// How the scheduler notices that Redis no longer holds what it wrote. A marker beside the jobs, in the same
// Redis database (one failure domain): an epoch set when this scheduler took over, and a sequence number it
// moves forward after each of its writes. Gone or another epoch: Redis lost its data (FLUSHALL, a restart
// without persistence, a new empty node). A sequence behind the last one written: Redis came back older (an
// RDB or `appendfsync everysec` restore, a failover to a lagging replica). Another run_id: the server
// restarted, so nothing it acknowledged since its last fsync is certain. Each calls for a reconcile.

import { randomUUID } from 'node:crypto';
import { BULLMQ_PREFIX, redisServerFor, type RedisClient } from '@app/platform';

/** In the jobs' hash slot: on a cluster, the marker lives and dies with the master that holds the jobs. */
export const SCHEDULER_MARKER_KEY = `${BULLMQ_PREFIX}:email-scheduler:marker`;

export type RedisTrouble = 'lost' | 'older' | 'restarted';

// Moves the sequence on only while the epoch is ours, so a write after a flush cannot recreate the marker
// and hide the loss. Answers the new sequence, or -1 for another epoch.
const ADVANCE = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
return redis.call('HINCRBY', KEYS[1], 'seq', 1)`;

export class RedisMarker {
  private epoch = '';
  private seq = 0;
  private runId = '';

  constructor(private readonly redis: RedisClient) {}

  /** Starts a new epoch: what Redis holds from now on is checked against this scheduler's writes. */
  async reset(): Promise<void> {
    const epoch = randomUUID();
    await this.redis.hset(SCHEDULER_MARKER_KEY, 'epoch', epoch, 'seq', 0);
    this.epoch = epoch;
    this.seq = 0;
    this.runId = await this.serverRunId();
  }

  /** Records one more write; the trouble it reveals, if any. */
  async advance(): Promise<RedisTrouble | undefined> {
    const seq = Number(await this.redis.eval(ADVANCE, 1, SCHEDULER_MARKER_KEY, this.epoch));
    if (seq < 0) return 'lost';
    const expected = this.seq + 1;
    this.seq = Math.max(this.seq, seq);
    return seq < expected ? 'older' : undefined;
  }

  /** Whether Redis still holds everything this scheduler wrote. */
  async check(): Promise<RedisTrouble | undefined> {
    const [epoch, seq] = await this.redis.hmget(SCHEDULER_MARKER_KEY, 'epoch', 'seq');
    if (epoch !== this.epoch) return 'lost';
    if (Number(seq) < this.seq) return 'older';
    return (await this.serverRunId()) === this.runId ? undefined : 'restarted';
  }

  /** The run_id of the server that holds the marker (and the jobs). */
  private async serverRunId(): Promise<string> {
    const server = await redisServerFor(this.redis, SCHEDULER_MARKER_KEY);
    return /^run_id:(\w+)/m.exec(await server.info('server'))?.[1] ?? '?';
  }
}
