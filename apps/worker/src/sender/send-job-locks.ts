import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT, type RedisClient, SEND_QUEUE } from '@app/platform';
import type { Queue } from 'bullmq';
import { type SendJobData, type SendJobName } from '../queue/send-queue';

/**
 * Whether a send job is held by a live worker: BullMQ keeps a lock key per active job, which the worker
 * running it renews every half lock duration and which lapses when that worker dies or stays frozen past it.
 * A claimer whose job still holds its lock is alive, so its attempt is not in doubt (ADR 0006).
 */
@Injectable()
export class SendJobLocks {
  constructor(
    @InjectQueue(SEND_QUEUE) private readonly queue: Queue<SendJobData, unknown, SendJobName>,
    // The same Redis database as BullMQ's own connections (worker.module.ts).
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  async isHeld(jobId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.queue.toKey(jobId)}:lock`)) === 1;
  }
}
