import type { EventStore } from '@app/event-store';
import {
  EVENT_STORE,
  PG_POOL,
  bootstrapApplicationContext,
  probeEventStore,
  probePostgres,
} from '@app/platform';
import { migrateSchema } from '@app/schema-migrations';
import { WEBHOOKS_MIGRATIONS, WEBHOOKS_SCHEMA } from '@app/webhooks';
import type { Pool } from 'pg';
import { DeliveryService } from './delivery.service';
import { DispatcherModule } from './dispatcher.module';
import { DispatcherMetrics } from './dispatcher.metrics';
import { FanOutService } from './fan-out.service';

const BOOT_PROBE_TIMEOUT_MS = 10_000;

void bootstrapApplicationContext({
  name: 'dispatcher',
  module: (config) => DispatcherModule.forRoot(config),
  verify: async (app) => {
    const pool = app.get<Pool>(PG_POOL);
    await probePostgres(pool, BOOT_PROBE_TIMEOUT_MS);
    await probeEventStore(app.get<EventStore>(EVENT_STORE), BOOT_PROBE_TIMEOUT_MS);
    // The api migrates it too: whichever starts first creates it, under migrateSchema's lock.
    await migrateSchema(pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
    const delivery = app.get(DeliveryService);
    delivery.start(app.get(DispatcherMetrics));
    app.get(FanOutService).start(() => delivery.nudge());
  },
});
