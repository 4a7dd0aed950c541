import type { EventStore } from '@app/event-store';
import {
  EVENT_STORE,
  REDIS_CLIENT,
  bootstrapApplicationContext,
  probeEventStore,
  probeRedis,
  waitForRedis,
  type RedisClient,
} from '@app/platform';
import { WorkerModule } from './worker.module';

const BOOT_PROBE_TIMEOUT_MS = 10_000;

void bootstrapApplicationContext({
  name: 'worker',
  module: (config) => WorkerModule.forRoot(config),
  verify: async (app) => {
    const redis = app.get<RedisClient>(REDIS_CLIENT);
    await waitForRedis(redis, BOOT_PROBE_TIMEOUT_MS);
    await probeRedis(redis, BOOT_PROBE_TIMEOUT_MS);
    await probeEventStore(app.get<EventStore>(EVENT_STORE), BOOT_PROBE_TIMEOUT_MS);
  },
});
