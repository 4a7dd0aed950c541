// The scheduler's checkpoint, kept in the same Redis database as the jobs it describes: one failure domain.
// An epoch, written once when the state is first created, tells the scheduler whether Redis still holds what
// it wrote: when the key disappears (FLUSHALL, a restart without persistence, a new empty Redis) or carries
// another epoch, the jobs went with it and the scheduler must replay from the start. The position only ever
// moves forward (every scheduler's save keeps the greater one), so a position behind what a scheduler saved
// means Redis came back older than it was (an RDB or `appendfsync everysec` restore, a failover to a lagging
// replica): the jobs added since that point may be gone, and the scheduler replays from there.

import { randomUUID } from 'node:crypto';
import { formatPosition, parsePosition, type Position } from '@app/event-store';
import type { Redis } from 'ioredis';

export const SCHEDULER_STATE_KEY = 'email-scheduler:state';

// Saves the position only while the epoch is still ours, so a write after a flush cannot recreate the key
// and hide the loss; and only forward (ARGV[3] is the position in a form that sorts as text), so that the
// saves of several schedulers never move it back and a step back can only be Redis's own.
const SAVE_IF_EPOCH = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
local stored = redis.call('HGET', KEYS[1], 'order')
if not stored or ARGV[3] > stored then
  redis.call('HSET', KEYS[1], 'position', ARGV[2], 'order', ARGV[3])
end
return 1`;

/** A position as text that sorts in position order. */
function sortable(position: Position): string {
  return `${position.commit.toString().padStart(20, '0')}/${position.prepare.toString().padStart(20, '0')}`;
}

export interface SchedulerStart {
  readonly epoch: string;
  readonly after: Position | 'start';
}

export class SchedulerState {
  constructor(
    private readonly redis: Redis,
    private readonly key = SCHEDULER_STATE_KEY,
  ) {}

  /** Joins the current epoch (creating one when Redis has none) and says where to resume. */
  async begin(): Promise<SchedulerStart> {
    await this.redis.hsetnx(this.key, 'epoch', randomUUID());
    const [epoch, position] = await this.redis.hmget(this.key, 'epoch', 'position');
    if (!epoch) throw new Error(`${this.key} vanished while it was being created`);
    return { epoch, after: position ? parsePosition(position) : 'start' };
  }

  /** Where the scheduler has got to: the saved position, or 'start' when there is none. */
  async checkpoint(): Promise<Position | 'start'> {
    const position = await this.redis.hget(this.key, 'position');
    return position ? parsePosition(position) : 'start';
  }

  /** The epoch and position Redis holds now. */
  async current(): Promise<{ readonly epoch: string | null; readonly after: Position | 'start' }> {
    const [epoch = null, position] = await this.redis.hmget(this.key, 'epoch', 'position');
    return { epoch, after: position ? parsePosition(position) : 'start' };
  }

  /** False when the epoch is no longer ours: Redis lost the state (and the jobs) since `begin`. */
  async save(epoch: string, position: Position): Promise<boolean> {
    const saved = await this.redis.eval(
      SAVE_IF_EPOCH,
      1,
      this.key,
      epoch,
      formatPosition(position),
      sortable(position),
    );
    return saved === 1;
  }
}
