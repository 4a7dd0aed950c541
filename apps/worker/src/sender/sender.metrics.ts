import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  MetricsRegistry,
  SCRAPE_TIMEOUT_MS,
  SEND_QUEUE,
  flagGauge,
  withTimeout,
} from '@app/platform';
import type { Job, JobType, Queue } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { type SendJobData, type SendJobName } from '../queue/send-queue';
import { RedisClock } from '../clock/redis-clock';
import { RelayCircuit } from './relay-circuit';
import { SendGate } from './send-gate';
import { SendProcessor } from './send.processor';

/** The job states `worker_queue_jobs` reports, as BullMQ names them. */
export const QUEUE_STATES: JobType[] = ['waiting', 'delayed', 'active', 'failed', 'prioritized'];

/**
 * The send path on `/metrics`: jobs by outcome (counted from the BullMQ worker's events, so the
 * send logic knows nothing of metrics), the send queue's depth, the relay circuit breaker, and the
 * host clock against Redis's.
 */
@Injectable()
export class SenderMetrics implements OnApplicationBootstrap {
  private readonly jobs: Counter<'job' | 'outcome'>;

  constructor(
    metrics: MetricsRegistry,
    private readonly processor: SendProcessor,
    circuit: RelayCircuit,
    clock: RedisClock,
    gate: SendGate,
    @InjectQueue(SEND_QUEUE) queue: Queue<SendJobData, unknown, SendJobName>,
  ) {
    const registers = [metrics.registry];
    this.jobs = new Counter({
      name: 'worker_jobs_total',
      help:
        'Send and lease-check jobs this worker finished, by job and outcome (sent, failed, stale, ' +
        'claimed-elsewhere, deferred (a rate limit or a closed delivery window), expired, outcome-lost, resolved, ' +
        'resolved-elsewhere; error: it threw and is retried).',
      labelNames: ['job', 'outcome'] as const,
      registers,
    });
    const depth: Gauge<'state'> = new Gauge({
      name: 'worker_queue_jobs',
      help:
        'Jobs in the send queue by state (waiting: due and not yet taken; delayed: due later). ' +
        'The queue is shared: every worker reports the same numbers. No samples when Redis does not answer.',
      labelNames: ['state'] as const,
      registers,
      collect: async () => {
        depth.reset();
        try {
          const counts = await withTimeout(
            queue.getJobCounts(...QUEUE_STATES),
            SCRAPE_TIMEOUT_MS,
            'Redis',
          );
          for (const state of QUEUE_STATES) depth.set({ state }, counts[state] ?? 0);
        } catch {
          // no samples: the scrape still answers, and the worker's Redis alerts say why
        }
      },
    });
    flagGauge(
      metrics.registry,
      'worker_relay_circuit_open',
      '1 while the circuit breaker around the SMTP relay is open (sends paused, relay probed), else 0.',
      () => circuit.isOpen,
    );
    const skew: Gauge = new Gauge({
      name: 'worker_clock_skew_seconds',
      help: "This host's clock minus Redis's time at the worker's last reading (positive: the host runs ahead).",
      registers,
      collect: () => skew.set(clock.skewMs / 1000),
    });
    const clockClosed: Gauge = new Gauge({
      name: 'worker_clock_gate_closed',
      help: '1 while this worker takes no jobs because its clock is more than MAX_CLOCK_SKEW_MS off Redis’s time.',
      registers,
      collect: () => clockClosed.set(gate.isClosedBy('clock') ? 1 : 0),
    });
  }

  onApplicationBootstrap(): void {
    const worker = this.processor.worker;
    worker.on('completed', (job: Job, result: unknown) => {
      this.jobs.inc({ job: job.name, outcome: typeof result === 'string' ? result : 'unknown' });
    });
    worker.on('failed', (job: Job | undefined) => {
      this.jobs.inc({ job: job?.name ?? 'unknown', outcome: 'error' });
    });
  }
}
