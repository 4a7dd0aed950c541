// The send path of the idempotency guard (ARCHITECTURE.md): job (email, r) → re-read the stream → stale or
// claim at r → SMTP with the deterministic Message-ID → outcome at r + 1. And the lease check that resolves
// an attempt whose worker vanished.

import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_RULES,
  decide,
  formatInstant,
  replay,
  classifySmtpFailure,
  type DomainRules,
  type EmailCommand,
  type RateLimitKind,
} from '@app/domain';
import { EmailStreams, type LoadedEmail } from '@app/email-streams';
import { ConcurrencyError } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { Clock } from '../clock/clock';
import { SendRateLimiter } from '../rate-limit/send-rate-limiter';
import { WORKER_ID } from '../worker-identity';
import { toOutgoingMail } from './email-message';
import { failureDetails } from './failure-signal';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { RelayCircuit } from './relay-circuit';

export type SendOutcome =
  | { readonly kind: 'stale' }
  | { readonly kind: 'claimed-elsewhere' }
  /** Fired before the email's due time (clock skew): run again at `dueAtMs`. */
  | { readonly kind: 'early'; readonly dueAtMs: number }
  /** Throttled by a rate limit: EmailDeferred appended; the new job fires at the slot reserved for it. */
  | { readonly kind: 'deferred'; readonly untilMs: number; readonly limit: RateLimitKind }
  | { readonly kind: 'sent' }
  | { readonly kind: 'failed'; readonly failureKind: string }
  /** The outcome could not be appended: someone resolved the attempt meanwhile (lease ran out). */
  | { readonly kind: 'outcome-lost' };

export type LeaseOutcome =
  | { readonly kind: 'stale' }
  | { readonly kind: 'early'; readonly dueAtMs: number }
  | { readonly kind: 'resolved'; readonly resolution: string }
  | { readonly kind: 'resolved-elsewhere' };

@Injectable()
export class EmailSender {
  private readonly logger = new Logger('EmailSender');
  private readonly rules: DomainRules;

  constructor(
    private readonly streams: EmailStreams,
    private readonly circuit: RelayCircuit,
    private readonly clock: Clock,
    private readonly rateLimiter: SendRateLimiter,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
  ) {
    this.rules = {
      ...DEFAULT_RULES,
      retry: { ...DEFAULT_RULES.retry, baseDelayMs: config.retryBaseDelayMs },
    };
  }

  async send(emailId: string, revision: number, jobId: string): Promise<SendOutcome> {
    const loaded = await this.streams.load(emailId);
    const { state } = loaded;
    if (loaded.expectedRevision !== revision || state.status !== 'scheduled')
      return { kind: 'stale' };
    const dueAtMs = Date.parse(state.dueAt);
    const nowMs = await this.clock.nowMs();
    if (nowMs < dueAtMs) return { kind: 'early', dueAtMs };

    // Rate limits, before the claim: a throttled email gets DeferSend (EmailDeferred at r) instead, once, to
    // the slot the limiter reserved for it; the job the deferral creates finds that slot and sends.
    const slot = await this.rateLimiter.reserve({
      emailId,
      revision,
      from: state.email.from.address,
      nowMs,
    });
    if (slot.kind === 'wait') return { kind: 'early', dueAtMs: slot.untilMs };
    if (slot.kind === 'defer') {
      const defer: EmailCommand = {
        type: 'DeferSend',
        data: { until: formatInstant(slot.untilMs), limit: slot.limit, now: formatInstant(nowMs) },
      };
      try {
        await this.streams.append(loaded, decide(defer, state, this.rules));
      } catch (error) {
        // The email changed meanwhile (rescheduled, cancelled, deferred by a racing job): its slot stays
        // reserved, which only ever errs on the slow side.
        if (error instanceof ConcurrencyError) return { kind: 'claimed-elsewhere' };
        throw error;
      }
      return { kind: 'deferred', untilMs: slot.untilMs, limit: slot.limit };
    }

    const claim: EmailCommand = {
      type: 'ClaimSendAttempt',
      data: {
        now: formatInstant(nowMs),
        workerId: this.workerId,
        jobId,
        leaseMs: this.config.workerLeaseMs,
      },
    };
    const claimEvents = decide(claim, state, this.rules);
    let claimed: LoadedEmail;
    try {
      const written = await this.streams.append(loaded, claimEvents);
      claimed = {
        emailId,
        events: loaded.events,
        state: replay(claimEvents, state),
        expectedRevision: written.revision,
      };
    } catch (error) {
      if (error instanceof ConcurrencyError) return { kind: 'claimed-elsewhere' };
      throw error;
    }

    const mail = toOutgoingMail(state.email);
    let outcome: EmailCommand;
    let result: SendOutcome;
    try {
      const { response } = await this.transport.send(mail);
      this.circuit.recordAnswer();
      outcome = {
        type: 'RecordSendSuccess',
        data: {
          messageId: mail.messageId,
          response,
          now: formatInstant(this.clock.estimateNowMs()),
        },
      };
      result = { kind: 'sent' };
    } catch (error) {
      const { message, ...signal } = failureDetails(error);
      const kind = classifySmtpFailure(signal);
      const retryNotBefore =
        kind === 'relay-unavailable' ? this.circuit.recordFailure() : undefined;
      if (kind !== 'relay-unavailable') this.circuit.recordAnswer();
      outcome = {
        type: 'RecordSendFailure',
        data: {
          failure: {
            kind,
            ...(signal.responseCode === undefined ? {} : { code: signal.responseCode }),
            ...(signal.errorCode === undefined ? {} : { errorCode: signal.errorCode }),
            message,
          },
          now: formatInstant(this.clock.estimateNowMs()),
          random: Math.random(),
          ...(retryNotBefore === undefined
            ? {}
            : { retryNotBefore: formatInstant(retryNotBefore) }),
        },
      };
      result = { kind: 'failed', failureKind: kind };
    }

    try {
      await this.streams.append(claimed, decide(outcome, claimed.state, this.rules));
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      this.logger.warn(
        `email ${emailId}: the outcome of attempt ${revision + 1} came after its lease was resolved`,
      );
      return { kind: 'outcome-lost' };
    }
    return result;
  }

  async checkLease(emailId: string, revision: number): Promise<LeaseOutcome> {
    const loaded = await this.streams.load(emailId);
    const { state } = loaded;
    if (loaded.expectedRevision !== revision || state.status !== 'attempting')
      return { kind: 'stale' };
    const leaseMs = Date.parse(state.leaseUntil);
    const nowMs = await this.clock.nowMs();
    if (nowMs < leaseMs) return { kind: 'early', dueAtMs: leaseMs };
    const events = decide(
      {
        type: 'ResolveInDoubt',
        data: { now: formatInstant(nowMs), policy: this.config.inDoubtPolicy },
      },
      state,
      this.rules,
    );
    try {
      await this.streams.append(loaded, events);
    } catch (error) {
      if (error instanceof ConcurrencyError) return { kind: 'resolved-elsewhere' };
      throw error;
    }
    const resolved = events[0];
    const resolution = resolved?.type === 'EmailSendInDoubt' ? resolved.data.resolution : 'unknown';
    this.logger.warn(
      `email ${emailId}: attempt in doubt after its lease ran out, resolved: ${resolution}`,
    );
    return { kind: 'resolved', resolution };
  }
}
