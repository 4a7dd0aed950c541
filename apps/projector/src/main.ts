import type { EventStore } from '@app/event-store';
import {
  EVENT_STORE,
  PG_POOL,
  bootstrapApplicationContext,
  probeEventStore,
  probePostgres,
} from '@app/platform';
import type { Pool } from 'pg';
import { ProjectorModule } from './projector.module';
import { ProjectorService } from './projector.service';

const BOOT_PROBE_TIMEOUT_MS = 10_000;

void bootstrapApplicationContext({
  name: 'projector',
  module: (config) => ProjectorModule.forRoot(config),
  verify: async (app) => {
    await probePostgres(app.get<Pool>(PG_POOL), BOOT_PROBE_TIMEOUT_MS);
    await probeEventStore(app.get<EventStore>(EVENT_STORE), BOOT_PROBE_TIMEOUT_MS);
    // Read-model migrations, then the contest for the projector lock (runs in the background).
    await app.get(ProjectorService).start();
  },
});
