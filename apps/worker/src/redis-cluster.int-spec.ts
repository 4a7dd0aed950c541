// The worker on a real Redis Cluster: three `redis-server` masters on loopback, REDIS_URL in its cluster
// form. BullMQ's keys (prefix `{bull}`) and the rate limiter's (`{rate-limit}:`) are hash-tagged, so every
// multi-key script runs within one slot; the scheduler's marker shares the jobs' slot.

import { RedisCluster, waitFor } from '@app/testing';
import { Cluster } from 'ioredis';
import { SchedulerService } from './scheduler/scheduler.service';
import { flush, messageIdOf, SENDER, WorkerHarness } from './testing/worker-harness';
import { sendJobId } from '@app/platform';

jest.setTimeout(90_000);

describe('worker on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  let harness: WorkerHarness;

  beforeAll(async () => {
    cluster = await RedisCluster.start(3);
    harness = await WorkerHarness.start(cluster.url, { SENDER_RATE_LIMIT_PER_HOUR: '2' });
    await harness.startWorker();
  });

  afterAll(async () => {
    await harness?.stop();
    await cluster?.stop();
  });

  const sentOnce = async (emailId: string): Promise<boolean> =>
    (await harness.state(emailId)).status === 'sent' &&
    harness.sink.received(messageIdOf(emailId)).length === 1;

  it('schedules, rate-limits and sends through the cluster', async () => {
    expect(harness.redis).toBeInstanceOf(Cluster);
    const sendAt = Date.now() + 1_000;
    const spread = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        harness.schedule(`c${i}@example.com`, sendAt, undefined, `s${i}@example.com`),
      ),
    );
    // One sender over its limit of 2 an hour: the reservation script (five keys, one slot) defers the third.
    const limited = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        harness.schedule(`l${i}@example.com`, sendAt, undefined, SENDER),
      ),
    );
    await waitFor(
      'the ten sent',
      async () => (await Promise.all(spread.map(sentOnce))).every(Boolean),
      20_000,
      50,
    );
    await waitFor(
      'two of the limited sent, one deferred',
      async () => {
        const states = await Promise.all(limited.map((id) => harness.state(id)));
        return (
          states.filter((state) => state.status === 'sent').length === 2 &&
          states.filter((state) => state.status === 'scheduled').length === 1
        );
      },
      20_000,
      50,
    );
    const histories = await Promise.all(limited.map((id) => harness.history(id)));
    expect(
      histories.filter((history) => history.some((e) => e.type === 'EmailDeferred')),
    ).toHaveLength(1);
  });

  it('puts the window back after every master was flushed', async () => {
    const worker = harness.workers[0];
    if (!worker) throw new Error('no worker');
    const scheduler = worker.get(SchedulerService, { strict: false });
    const pending = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        harness.schedule(`p${i}@example.com`, Date.now() + 4_000, undefined, `p${i}@example.com`),
      ),
    );
    const jobs = async (): Promise<boolean> =>
      (
        await Promise.all(
          pending.map((id) => harness.redis.exists(`{bull}:email-send:${sendJobId(id, 0)}`)),
        )
      ).every((exists) => exists === 1);
    await waitFor('the jobs in the cluster', jobs, 5_000, 20);
    const lost = scheduler.troubles.lost;
    await flush(harness.redis);
    await waitFor('the jobs back', jobs, 5_000, 20);
    expect(scheduler.troubles.lost).toBeGreaterThan(lost);
    await waitFor(
      'the ten sent',
      async () => (await Promise.all(pending.map(sentOnce))).every(Boolean),
      20_000,
      50,
    );
  });
});
