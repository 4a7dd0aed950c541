import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import {
  CircuitBreaker,
  DEFAULT_BREAKER_OPTIONS,
  type CircuitBreakerOptions,
} from './circuit-breaker';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';

export const BREAKER_OPTIONS = Symbol('BREAKER_OPTIONS');

/** The worker's one circuit breaker around the relay, attached to the BullMQ worker it pauses. */
@Injectable()
export class RelayCircuit {
  private readonly logger = new Logger('RelayCircuit');
  private worker: Worker | undefined;
  private readonly breaker: CircuitBreaker;

  constructor(
    @Inject(MAIL_TRANSPORT) transport: MailTransport,
    @Inject(BREAKER_OPTIONS) options: CircuitBreakerOptions = DEFAULT_BREAKER_OPTIONS,
  ) {
    this.breaker = new CircuitBreaker(
      {
        pause: async () => {
          this.logger.warn('relay unavailable: pausing sends and probing it');
          // Not waiting for the running jobs: this is called from inside one of them.
          await this.worker?.pause(true);
        },
        resume: () => {
          this.logger.log('relay answers again: resuming sends');
          this.worker?.resume().catch((error: unknown) => {
            this.logger.error(`could not resume the worker: ${String(error)}`);
          });
        },
        probe: () => transport.verify(),
        onError: (error) => this.logger.error(`circuit breaker: ${String(error)}`),
      },
      options,
    );
  }

  attach(worker: Worker): void {
    this.worker = worker;
  }

  get isOpen(): boolean {
    return this.breaker.isOpen;
  }

  /** Opens the circuit and returns the next probe time (epoch ms): when the failed email is retried. */
  trip(): number {
    return this.breaker.trip();
  }

  close(): void {
    this.breaker.close();
  }
}
