import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClock } from '../clock/redis-clock';
import { DEFAULT_RELAY_CIRCUIT_POLICY, type RelayCircuitPolicy } from '@app/domain';
import { CircuitBreaker } from './circuit-breaker';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { SendGate } from './send-gate';

export const BREAKER_OPTIONS = Symbol('BREAKER_OPTIONS');

/** The worker's one circuit breaker around the relay: while it is open, the send gate is closed. */
@Injectable()
export class RelayCircuit {
  private readonly logger = new Logger('RelayCircuit');
  private readonly breaker: CircuitBreaker;

  constructor(
    @Inject(MAIL_TRANSPORT) transport: MailTransport,
    gate: SendGate,
    clock: RedisClock,
    @Inject(BREAKER_OPTIONS) options: RelayCircuitPolicy = DEFAULT_RELAY_CIRCUIT_POLICY,
  ) {
    this.breaker = new CircuitBreaker(
      {
        pause: () => {
          this.logger.warn('relay unavailable: pausing sends and probing it');
          gate.close('relay');
          return Promise.resolve();
        },
        resume: () => {
          this.logger.log('relay answers again: resuming sends');
          gate.open('relay');
        },
        probe: () => transport.verify(),
        onError: (error) => this.logger.error(`circuit breaker: ${String(error)}`),
      },
      options,
      // Probe times become retry times in events: Redis's time, as every other instant the worker writes.
      () => clock.estimateNowMs(),
    );
  }

  get isOpen(): boolean {
    return this.breaker.isOpen;
  }

  /** A send found the relay unavailable; returns when that email is tried again (epoch ms). */
  recordFailure(): number {
    return this.breaker.recordFailure();
  }

  /** The relay answered a send, whatever it said. */
  recordAnswer(): void {
    this.breaker.recordAnswer();
  }

  close(): void {
    this.breaker.close();
  }
}
