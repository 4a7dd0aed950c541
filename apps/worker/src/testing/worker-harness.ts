// What the worker's integration tests share: a real event store (its own Postgres database), a real Redis
// database of the suite's own, an SMTP sink, workers booted from WorkerModule, and emails scheduled the way
// the api schedules them (load, decide, append).

import { randomUUID } from 'node:crypto';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  decide,
  formatInstant,
  type EmailCommand,
  type EmailEvent,
  type EmailState,
  type ScheduleEmail,
} from '@app/domain';
import { EmailStreams, toEmailEvent } from '@app/email-streams';
import { createEventStore, type EventStore } from '@app/event-store';
import {
  createRedisClient,
  parseConfig,
  redisServers,
  type Environment,
  type RedisClient,
} from '@app/platform';
import { createTestDatabase, SmtpSink, type TestDatabase } from '@app/testing';
import { WorkerModule } from '../worker.module';

export const SENDER = 'sender@example.com';

export class WorkerHarness {
  readonly workers: INestApplicationContext[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly store: EventStore,
    readonly streams: EmailStreams,
    readonly redis: RedisClient,
    readonly sink: SmtpSink,
    readonly env: Environment,
  ) {}

  static async start(redisUrl: string, env: Environment = {}): Promise<WorkerHarness> {
    const database = await createTestDatabase('worker');
    const store = await createEventStore({ databaseUrl: database.url });
    const redis = createRedisClient(redisUrl, new Logger('WorkerHarness'));
    await flush(redis);
    const sink = await SmtpSink.start();
    return new WorkerHarness(database, store, new EmailStreams(store), redis, sink, {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      SMTP_URL: sink.url,
      LOG_LEVEL: 'error',
      // Rate limits off unless a suite asks for them (the default is 50 per sender per hour).
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      ...env,
    });
  }

  async startWorker(env: Environment = {}): Promise<INestApplicationContext> {
    const config = parseConfig({ ...this.env, ...env });
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
    });
    this.workers.push(app);
    return app;
  }

  async stopWorker(app: INestApplicationContext): Promise<void> {
    const index = this.workers.indexOf(app);
    if (index >= 0) this.workers.splice(index, 1);
    await app.close();
  }

  async stop(): Promise<void> {
    for (const app of this.workers.splice(0)) await app.close();
    await this.sink.stop();
    await flush(this.redis);
    this.redis.disconnect();
    await this.store.close();
    await this.database.drop();
  }

  /** Schedules an email to `to` at `sendAt` (epoch ms) as the api does, for `tenantId`; returns its id. */
  async schedule(
    to: string,
    sendAtMs: number,
    maxAttempts?: number,
    from: string = SENDER,
    tenantId = 'tenant-test',
  ): Promise<string> {
    return this.scheduleWith(to, sendAtMs, {
      from,
      tenantId,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });
  }

  /** Schedules as `schedule` does, with any other fields the api may pass (a deadline, a window). */
  async scheduleWith(
    to: string,
    sendAtMs: number,
    fields: Partial<ScheduleEmail['data']> = {},
  ): Promise<string> {
    const emailId = randomUUID();
    await this.decide(emailId, {
      type: 'ScheduleEmail',
      data: {
        emailId,
        tenantId: 'tenant-test',
        from: SENDER,
        to,
        subject: `Test ${emailId}`,
        text: 'Hello from the worker tests',
        sendAt: formatInstant(sendAtMs),
        now: formatInstant(Date.now()),
        // The worker never checks who may send as whom: it sends what the api accepted.
        senderIdentity: { kind: 'any' },
        ...fields,
      },
    });
    return emailId;
  }

  /** Another writer's decision on the email, as the api makes it (load, decide, append). */
  async decide(emailId: string, command: EmailCommand): Promise<void> {
    const loaded = await this.streams.load(emailId);
    await this.streams.append(loaded, decide(command, loaded.state));
  }

  async reschedule(emailId: string, sendAtMs: number): Promise<void> {
    await this.decide(emailId, {
      type: 'RescheduleEmail',
      data: { sendAt: formatInstant(sendAtMs), now: formatInstant(Date.now()) },
    });
  }

  async history(emailId: string): Promise<EmailEvent[]> {
    return (await this.streams.read(emailId)).map(toEmailEvent);
  }

  async state(emailId: string): Promise<EmailState> {
    return (await this.streams.load(emailId)).state;
  }
}

/** Empties the suite's Redis database (every master's, on a cluster). */
export async function flush(redis: RedisClient): Promise<void> {
  await Promise.all(redisServers(redis).map((server) => server.flushdb()));
}

export function messageIdOf(emailId: string): string {
  return `<${emailId}@example.com>`;
}
