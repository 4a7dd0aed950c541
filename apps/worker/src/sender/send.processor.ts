import { Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Inject,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig, SEND_QUEUE } from '@app/platform';
import { DelayedError, WaitingError, type Job } from 'bullmq';
import {
  MAX_STALLED_COUNT,
  SEND_JOB_LOCK_MS,
  RETRY_BACKOFF,
  retryDelayMs,
  type SendJobData,
  type SendJobName,
} from '../queue/send-queue';
import { RedisClock } from '../clock/redis-clock';
import { ClockSkewGuard } from './clock-skew-guard';
import { EmailSender, type LeaseOutcome, type SendOutcome } from './email-sender.service';
import { RelayCircuit } from './relay-circuit';
import { SendGate } from './send-gate';

type SendJob = Job<SendJobData, unknown, SendJobName>;

/** The BullMQ worker: runs send and lease-check jobs, WORKER_CONCURRENCY at a time. */
@Processor(SEND_QUEUE, {
  maxStalledCount: MAX_STALLED_COUNT,
  lockDuration: SEND_JOB_LOCK_MS,
  settings: {
    backoffStrategy: (attemptsMade: number, type?: string) =>
      type === RETRY_BACKOFF ? retryDelayMs(attemptsMade) : 0,
  },
})
export class SendProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('SendProcessor');

  constructor(
    private readonly sender: EmailSender,
    private readonly circuit: RelayCircuit,
    private readonly gate: SendGate,
    private readonly clock: RedisClock,
    private readonly clockGuard: ClockSkewGuard,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
    this.gate.attach(this.worker);
  }

  /** Graceful stop: take no new jobs, let the running ones finish and append their outcomes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.circuit.close();
    await this.worker.close();
  }

  async process(job: SendJob, token?: string): Promise<string> {
    const { emailId, revision } = job.data;
    const jobId = job.id ?? `${job.name}-${emailId}-${revision}`;
    const outcome: SendOutcome | LeaseOutcome =
      job.name === 'send'
        ? await this.sender.send(emailId, revision, jobId)
        : await this.sender.checkLease(emailId, revision);
    if (outcome.kind === 'early') {
      if (this.clock.isSkewed) {
        // This host's clock promoted the job early, and it would stamp the delay wrongly too (BullMQ reads
        // the host clock): hand the job to a worker whose clock agrees with Redis, and stop fetching.
        this.clockGuard.apply();
        await job.moveToWait(token);
        throw new WaitingError();
      }
      await job.moveToDelayed(outcome.dueAtMs, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'expired') {
      // Not an error, but an email that will never go: worth a line in the log, with why.
      this.logger.log(`${jobId}: expired (${outcome.reason})`);
    } else {
      this.logger.debug(`${jobId}: ${outcome.kind}`);
    }
    // Deferred (a rate limit, a closed delivery window) and expired both appended their event: the job is
    // done, and the scheduler plans the next one, if any, from it.
    return outcome.kind;
  }
}
