// The worker's sender in a unit spec: the real EmailSender, RelayCircuit, SendGate and SendSlots as
// SenderModule wires them, with what would do I/O swapped by provider: the in-memory event store, a
// MailTransport (the sender's port) whose relay answers as the spec scripts it, a clock that moves only when
// told (the worker's RedisClock reads Redis's TIME), and the send jobs' locks as a set. Rate limits are off: with
// none set, SendRateLimiter never reaches Redis.
import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  decide,
  formatInstant,
  type EmailCommand,
  type EmailEvent,
  type EmailState,
  type RelayCircuitPolicy,
  type ScheduleEmail,
} from '@app/domain';
import { EmailStreams, toEmailEvent } from '@app/email-streams';
import {
  APP_CONFIG,
  EVENT_STORE,
  parseConfig,
  type AppConfig,
  type RedisClient,
} from '@app/platform';
import { InMemoryEventStore } from '@app/testing';
import { RedisClock } from '../clock/redis-clock';
import { SendRateLimiter } from '../rate-limit/send-rate-limiter';
import { AttachmentStore } from '@app/attachments';
import { EmailSender, leaseBudget } from '../sender/email-sender.service';
import {
  MAIL_TRANSPORT,
  type MailTransport,
  type OutgoingMail,
  type SendDeadline,
} from '../sender/mail-transport';
import { BREAKER_OPTIONS, RelayCircuit } from '../sender/relay-circuit';
import { SendGate } from '../sender/send-gate';
import { SendJobLocks } from '../sender/send-job-locks';
import { SendSlots } from '../sender/send-slots';
import { WORKER_ID } from '../worker-identity';

export const WORKER = 'worker-under-test';
export const TENANT = 'tenant-acme';
/** The clock's reading when a spec begins. */
export const NOW_MS = Date.parse('2030-01-01T09:00:00.000Z');
export const RELAY_CIRCUIT: RelayCircuitPolicy = {
  failureThreshold: 3,
  initialBackoffMs: 1_000,
  maxBackoffMs: 8_000,
};

/** How the relay answers one message: resolves with its reply (accepted) or throws the transport's error. */
export type RelayAnswer = (mail: OutgoingMail) => Promise<string>;

export const accept =
  (reply = '250 2.0.0 Ok: queued'): RelayAnswer =>
  () =>
    Promise.resolve(reply);

export interface TransportFailure {
  readonly message: string;
  readonly responseCode?: number;
  readonly code?: string;
}

/** Fails the send as nodemailer does: the reply's responseCode, or a code for what failed below SMTP. */
export const refuse =
  ({ message, ...fields }: TransportFailure): RelayAnswer =>
  () =>
    Promise.reject(Object.assign(new Error(message), fields));

/** The sender's MailTransport port with a relay that answers each message as scripted (250 by default). */
export class ScriptedTransport implements MailTransport {
  /** Every message the sender handed over, answered or not. */
  readonly offered: OutgoingMail[] = [];
  /** The deadline each send was given, in the order of the sends. */
  readonly deadlines: SendDeadline[] = [];
  private readonly script: RelayAnswer[] = [];
  relayAnswersProbes = true;

  /** The answers to the next messages, in order. */
  answerNext(...answers: RelayAnswer[]): void {
    this.script.push(...answers);
  }

  async send(mail: OutgoingMail, deadline: SendDeadline): Promise<{ response: string }> {
    this.deadlines.push(deadline);
    // As the SMTP transport does, once the relay is ready for the body.
    await deadline.beforeBody?.();
    this.offered.push(mail);
    const answer = this.script.shift() ?? accept();
    return { response: await answer(mail) };
  }

  verify(): Promise<void> {
    return this.relayAnswersProbes ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'));
  }

  close(): void {}
}

/** The worker's RedisClock without Redis: it reads `atMs`, and the host agrees with it. */
export class StillClock implements Pick<
  RedisClock,
  'nowMs' | 'estimateNowMs' | 'skewMs' | 'isSkewed'
> {
  readonly skewMs = 0;
  readonly isSkewed = false;

  constructor(public atMs: number) {}

  nowMs(): Promise<number> {
    return Promise.resolve(this.atMs);
  }

  estimateNowMs(): number {
    return this.atMs;
  }
}

/** SendJobLocks without Redis: the send jobs whose lock a live worker holds. */
export class HeldJobLocks implements Pick<SendJobLocks, 'isHeld'> {
  readonly held = new Set<string>();

  isHeld(jobId: string): Promise<boolean> {
    return Promise.resolve(this.held.has(jobId));
  }
}

/** Handed to SendRateLimiter, which with no limit set never uses it; any use fails the spec. */
const NO_REDIS = new Proxy({} as RedisClient, {
  get: (_target, key) => {
    throw new Error(`a unit spec has no Redis (SendRateLimiter used ${String(key)})`);
  },
});

export class SenderHarness {
  private constructor(
    private readonly moduleRef: TestingModule,
    readonly config: AppConfig,
    readonly store: InMemoryEventStore,
    readonly transport: ScriptedTransport,
    readonly clock: StillClock,
    readonly locks: HeldJobLocks,
  ) {}

  static async start(): Promise<SenderHarness> {
    const config = parseConfig({
      RETRY_BASE_DELAY_MS: '10000',
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      TENANT_RATE_LIMIT_PER_HOUR: '0',
    });
    const store = new InMemoryEventStore();
    const transport = new ScriptedTransport();
    const clock = new StillClock(NOW_MS);
    const locks = new HeldJobLocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: store },
        { provide: MAIL_TRANSPORT, useValue: transport },
        { provide: RedisClock, useValue: clock },
        { provide: SendJobLocks, useValue: locks },
        { provide: WORKER_ID, useValue: WORKER },
        // No attachments in these specs: any asked for is missing.
        { provide: AttachmentStore, useValue: { read: () => Promise.resolve(undefined) } },
        { provide: BREAKER_OPTIONS, useValue: RELAY_CIRCUIT },
        {
          provide: SendRateLimiter,
          useValue: new SendRateLimiter(NO_REDIS, {
            perSender: config.tenantLimits.sendsPerWindowPerSender,
            perTenant: config.tenantLimits.sendsPerWindow,
            global: config.globalRateLimitPerHour,
            windowMs: config.rateLimitWindowMs,
            minGapMs: config.minSendGapMs,
          }),
        },
        {
          provide: SendSlots,
          useValue: new SendSlots(1, leaseBudget(config.workerLeaseMs).finalDotMs),
        },
        EmailStreams,
        SendGate,
        RelayCircuit,
        EmailSender,
      ],
    }).compile();
    return new SenderHarness(moduleRef, config, store, transport, clock, locks);
  }

  get sender(): EmailSender {
    return this.moduleRef.get(EmailSender);
  }

  get circuit(): RelayCircuit {
    return this.moduleRef.get(RelayCircuit);
  }

  get gate(): SendGate {
    return this.moduleRef.get(SendGate);
  }

  /**
   * Schedules an email as the api does (load, decide, append), due at `sendAtMs`, with any other fields the
   * api may pass (a deadline, a delivery window); returns its id.
   */
  async schedule(
    sendAtMs = NOW_MS,
    maxAttempts = 3,
    extra: Partial<ScheduleEmail['data']> = {},
  ): Promise<string> {
    const emailId = randomUUID();
    await this.decide(emailId, {
      type: 'ScheduleEmail',
      data: {
        emailId,
        tenantId: TENANT,
        from: 'Acme Billing <billing@acme.example>',
        to: 'jane@example.com',
        subject: 'Your invoice',
        text: 'Please find it attached.',
        sendAt: formatInstant(sendAtMs),
        now: formatInstant(this.clock.atMs),
        // The worker never checks who may send as whom: it sends what the api accepted.
        senderIdentity: { kind: 'any' },
        maxAttempts,
        ...extra,
      },
    });
    return emailId;
  }

  /** Another writer's decision on the email (the api rescheduling or cancelling it). */
  async decide(emailId: string, command: EmailCommand): Promise<void> {
    const streams = this.moduleRef.get(EmailStreams);
    const loaded = await streams.load(emailId);
    await streams.append(loaded, decide(command, loaded.state));
  }

  async history(emailId: string): Promise<EmailEvent[]> {
    return (await this.moduleRef.get(EmailStreams).read(emailId)).map(toEmailEvent);
  }

  async state(emailId: string): Promise<EmailState> {
    return (await this.moduleRef.get(EmailStreams).load(emailId)).state;
  }

  async close(): Promise<void> {
    this.circuit.close();
    await this.moduleRef.close();
    await this.store.close();
  }
}
