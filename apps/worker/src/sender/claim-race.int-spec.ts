// The guard where it matters: two executions of one send job that read the email at the same revision, on two
// workers, both try to claim it. The store holds both reads until both are done (MeetingStore), so the claims
// really meet at one revision; exactly one may win and send, and the other must be told it lost.

import { BullModule } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { emailStreamName } from '@app/email-streams';
import { createEventStore } from '@app/event-store';
import {
  ConfigModule,
  EVENT_STORE,
  EventStoreModule,
  parseConfig,
  RedisModule,
  redisConnectionOptions,
  sendJobId,
} from '@app/platform';
import { MeetingPoint, MeetingStore, waitFor } from '@app/testing';
import { messageIdOf, WorkerHarness } from '../testing/worker-harness';
import { EmailSender, type SendOutcome } from './email-sender.service';
import { SenderModule } from './sender.module';

const REDIS_URL = process.env.CLAIM_RACE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

jest.setTimeout(60_000);

describe('claims that meet at one revision', () => {
  let harness: WorkerHarness;
  const senders: { app: INestApplicationContext; store: MeetingStore; sender: EmailSender }[] = [];

  /** A sending-only worker (no scheduler, so no job of its own runs): its EmailSender on a meeting store. */
  async function startSender(): Promise<(typeof senders)[number]> {
    const config = parseConfig(harness.env);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        EventStoreModule,
        RedisModule,
        BullModule.forRoot({ connection: redisConnectionOptions(config.redisUrl) }),
        SenderModule,
      ],
    })
      .overrideProvider(EVENT_STORE)
      .useFactory({
        factory: async () =>
          new MeetingStore(await createEventStore({ databaseUrl: config.databaseUrl })),
      })
      .compile();
    const app = await moduleRef.init();
    const entry = {
      app,
      store: app.get<MeetingStore>(EVENT_STORE),
      sender: app.get(EmailSender),
    };
    senders.push(entry);
    return entry;
  }

  beforeAll(async () => {
    harness = await WorkerHarness.start(REDIS_URL);
    await startSender();
    await startSender();
  });

  afterAll(async () => {
    for (const { app } of senders.splice(0)) await app.close();
    await harness?.stop();
  });

  it('two sends of one (email, revision) that read it together: one claims and sends, the other is told it lost', async () => {
    for (let round = 0; round < 5; round += 1) {
      const emailId = await harness.schedule(`meet${round}@example.com`, Date.now());
      const meeting = new MeetingPoint(emailStreamName(emailId), 2);
      for (const { store } of senders) store.meeting = meeting;
      const jobId = sendJobId(emailId, 0);
      const outcomes: SendOutcome[] = await Promise.all(
        senders.map(({ sender }) => sender.send(emailId, 0, jobId)),
      );
      expect(meeting.count).toBe(2);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['claimed-elsewhere', 'sent']);
      await waitFor(
        'the sink to have the message',
        () => harness.sink.accepted(messageIdOf(emailId)).length >= 1,
        5_000,
      );
      expect(harness.sink.received(messageIdOf(emailId))).toHaveLength(1);
      expect((await harness.history(emailId)).map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailSendAttempted',
        'EmailSent',
      ]);
    }
  });
});
