// The send path of the idempotency guard (docs/ARCHITECTURE.md, ADR 0006), in its four steps: reserve (a
// connection slot, then the email's own gate (deadline, delivery window), then a rate-limit slot) → claim at r → deliver with the deterministic Message-ID inside the
// lease → record the outcome at r + 1. And the lease check, which resolves an attempt only once its claimer is
// gone.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_RULES,
  decide,
  formatInstant,
  classifySmtpFailure,
  sendGate,
  type DeferralCause,
  type DomainRules,
  type EmailCommand,
  type EmailDetails,
  type EmailEvent,
  type ExpiryReason,
  type PausedState,
  type ScheduledState,
} from '@app/domain';
import { AttachmentStore } from '@app/attachments';
import { EmailStreams, type EmailAtRevision, type LoadedEmail } from '@app/email-streams';
import { ConcurrencyError } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { RedisClock } from '../clock/redis-clock';
import { SendRateLimiter } from '../rate-limit/send-rate-limiter';
import { WORKER_ID } from '../worker-identity';
import { toOutgoingMail } from './email-message';
import { failureDetails } from './failure-signal';
import {
  FINAL_DOT_TOO_LATE,
  MAIL_TRANSPORT,
  UnansweredSendError,
  type MailTransport,
} from './mail-transport';
import { RelayCircuit } from './relay-circuit';
import { SendJobLocks } from './send-job-locks';
import { SendSlots } from './send-slots';

export type SendOutcome =
  | { readonly kind: 'stale' }
  | { readonly kind: 'claimed-elsewhere' }
  /** Fired before the email's due time (clock skew): run again at `dueAtMs`. */
  | { readonly kind: 'early'; readonly dueAtMs: number }
  /**
   * Throttled by a rate limit, or due while its delivery window is closed: EmailDeferred appended; the new
   * job fires at the slot reserved for it, or at the window's opening.
   */
  | { readonly kind: 'deferred'; readonly untilMs: number; readonly limit: DeferralCause }
  /** Past its send-by deadline, or its next chance would be: EmailExpired appended, never sent. */
  | { readonly kind: 'expired'; readonly reason: ExpiryReason }
  | { readonly kind: 'sent' }
  | { readonly kind: 'failed'; readonly failureKind: string }
  /**
   * The final dot went and no reply came before the send was aborted: nobody knows whether the relay stored
   * it. No outcome is recorded; the lease check resolves the attempt in doubt by IN_DOUBT_POLICY.
   */
  | { readonly kind: 'unanswered' }
  /** The outcome could not be appended: someone resolved the attempt meanwhile. */
  | { readonly kind: 'outcome-lost' };

export type LeaseOutcome =
  | { readonly kind: 'stale' }
  | { readonly kind: 'early'; readonly dueAtMs: number }
  | { readonly kind: 'resolved'; readonly resolution: string }
  | { readonly kind: 'resolved-elsewhere' };

/** The longest pause between two tries of an outcome append while the store does not answer. */
const OUTCOME_RETRY_CAP_MS = 2_000;

/** A failure no retry can mend, found before anything went to the relay. */
function permanentFailure(message: string, nowMs: number): EmailCommand {
  return {
    type: 'RecordSendFailure',
    data: {
      failure: { kind: 'permanent', message },
      now: formatInstant(nowMs),
      random: Math.random(),
    },
  };
}

/** How long a lease check waits before it asks again whether a claimer whose lease ran out is still alive. */
export const LIVE_CLAIMER_RECHECK_MS = 1_000;

/** The times inside an attempt's lease, in ms after the claim's clock reading (ADR 0006). */
export interface LeaseBudget {
  /** No final dot after this: past it the relay is sent nothing it could store. */
  readonly finalDotMs: number;
  /** The send is aborted here, so its outcome is appended before the lease runs out. */
  readonly abortMs: number;
}

/**
 * The relay gets a third of the lease after the final dot to answer (the transport's socket timeout is a
 * third too), and the outcome the last tenth to be appended.
 */
export function leaseBudget(leaseMs: number): LeaseBudget {
  return {
    finalDotMs: Math.floor((leaseMs * 17) / 30),
    abortMs: Math.floor((leaseMs * 9) / 10),
  };
}

@Injectable()
export class EmailSender {
  private readonly logger = new Logger('EmailSender');
  private readonly rules: DomainRules;
  private readonly budget: LeaseBudget;

  constructor(
    private readonly streams: EmailStreams,
    private readonly circuit: RelayCircuit,
    private readonly clock: RedisClock,
    private readonly rateLimiter: SendRateLimiter,
    private readonly slots: SendSlots,
    private readonly locks: SendJobLocks,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
    private readonly attachments: AttachmentStore,
  ) {
    this.rules = {
      ...DEFAULT_RULES,
      retry: { ...DEFAULT_RULES.retry, baseDelayMs: config.retryBaseDelayMs },
      maxInDoubtResends: config.inDoubtMaxResends,
    };
    this.budget = leaseBudget(config.workerLeaseMs);
  }

  async send(emailId: string, revision: number, jobId: string): Promise<SendOutcome> {
    const loaded = await this.streams.load(emailId);
    if (isPausedAt(loaded, revision)) return this.expirePaused(loaded);
    if (!isDueAt(loaded, revision)) return { kind: 'stale' };
    const dueAtMs = Date.parse(loaded.state.dueAt);
    if ((await this.clock.nowMs()) < dueAtMs) return { kind: 'early', dueAtMs };
    // Before the claim, so reading up to 10 MB takes nothing from the lease's budget.
    const contents = await this.attachmentContents(loaded.state.email);

    // The connection slot is held from before the claim until the relay has answered; the outcome's append
    // needs no connection, so the next send may start meanwhile.
    let claimed: EmailAtRevision | undefined;
    let outcome: EmailCommand | 'unanswered';
    const release = await this.slots.acquire();
    try {
      // Read again: waiting for a connection may have taken a while, and the claim's lease starts now.
      const startedAt = performance.now();
      const nowMs = await this.clock.nowMs();
      // Before the rate limits: an email that may not go now must not take a slot from one that may.
      const gated = await this.gate(loaded, nowMs);
      if (gated) return gated;
      const reserved = await this.reserve(loaded, nowMs);
      if (reserved) return reserved;
      claimed = await this.claim(loaded, nowMs, jobId);
      if (!claimed) return { kind: 'claimed-elsewhere' };
      outcome =
        contents instanceof Error
          ? permanentFailure(contents.message, this.clock.estimateNowMs())
          : await this.deliver(loaded.state.email, contents, startedAt, nowMs);
    } finally {
      release();
    }
    if (outcome === 'unanswered') {
      this.logger.warn(
        `email ${emailId}: no reply to the final dot; the attempt is left for its lease check (in doubt)`,
      );
      return { kind: 'unanswered' };
    }
    return this.record(claimed, outcome);
  }

  /**
   * The email's own gate, as the domain's sendGate reads it now (the claim would refuse the same): past its
   * deadline it expires (EmailExpired at r), outside its window it is deferred to the opening.
   */
  private async gate(loaded: DueEmail, nowMs: number): Promise<SendOutcome | undefined> {
    const gate = sendGate(loaded.state.email, nowMs);
    if (gate.kind === 'open') return undefined;
    const now = formatInstant(nowMs);
    const command: EmailCommand =
      gate.kind === 'expire'
        ? { type: 'ExpireEmail', data: { now } }
        : {
            type: 'DeferSend',
            data: { until: formatInstant(gate.untilMs), limit: 'delivery-window', now },
          };
    const events = await this.appendDecision(loaded, command);
    if (!events) return { kind: 'claimed-elsewhere' };
    return gate.kind === 'expire'
      ? { kind: 'expired', reason: gate.reason }
      : { kind: 'deferred', untilMs: gate.untilMs, limit: 'delivery-window' };
  }

  /**
   * The job a paused email with a deadline has at it (job-plan.ts): no resume came in time, so it ends
   * expired while paused rather than sitting paused past a deadline it can no longer meet.
   */
  private async expirePaused(loaded: PausedEmail): Promise<SendOutcome> {
    const { expiresAt } = loaded.state.email;
    if (expiresAt === undefined) return { kind: 'stale' };
    const nowMs = await this.clock.nowMs();
    const expiresMs = Date.parse(expiresAt);
    if (nowMs < expiresMs) return { kind: 'early', dueAtMs: expiresMs };
    const events = await this.appendDecision(loaded, {
      type: 'ExpireEmail',
      data: { now: formatInstant(nowMs) },
    });
    return events ? { kind: 'expired', reason: 'deadline-passed' } : { kind: 'claimed-elsewhere' };
  }

  /** Appends a decision at the revision read; undefined when the email changed meanwhile. */
  private async appendDecision(
    loaded: LoadedEmail,
    command: EmailCommand,
  ): Promise<readonly EmailEvent[] | undefined> {
    const events = decide(command, loaded.state, this.rules);
    try {
      await this.streams.append(loaded, events);
    } catch (error) {
      // Rescheduled, paused, cancelled, resumed or moved by a racing job: the job of its new revision decides.
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
    return events;
  }

  /** The rate limits: a throttled email is deferred (EmailDeferred at r) to the slot reserved for it, once. */
  private async reserve(loaded: DueEmail, nowMs: number): Promise<SendOutcome | undefined> {
    const { state } = loaded;
    const slot = await this.rateLimiter.reserve({
      emailId: loaded.emailId,
      revision: loaded.expectedRevision,
      tenantId: state.email.tenantId,
      from: state.email.from.address,
      nowMs,
    });
    if (slot.kind === 'send') return undefined;
    if (slot.kind === 'wait') return { kind: 'early', dueAtMs: slot.untilMs };
    const defer: EmailCommand = {
      type: 'DeferSend',
      data: { until: formatInstant(slot.untilMs), limit: slot.limit, now: formatInstant(nowMs) },
    };
    // A ConcurrencyError leaves its slot reserved, which only ever errs on the slow side.
    const events = await this.appendDecision(loaded, defer);
    if (!events) return { kind: 'claimed-elsewhere' };
    const expired = expiryIn(events);
    if (expired) return { kind: 'expired', reason: expired };
    return { kind: 'deferred', untilMs: slot.untilMs, limit: slot.limit };
  }

  /** EmailSendAttempted at r, as this job execution's own decision: any other claim at r makes this one lose. */
  private async claim(
    loaded: DueEmail,
    nowMs: number,
    jobId: string,
  ): Promise<EmailAtRevision | undefined> {
    const claim: EmailCommand = {
      type: 'ClaimSendAttempt',
      data: {
        now: formatInstant(nowMs),
        workerId: this.workerId,
        jobId,
        leaseMs: this.config.workerLeaseMs,
      },
    };
    try {
      return await this.streams.advance(loaded, decide(claim, loaded.state, this.rules));
    } catch (error) {
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
  }

  /**
   * SMTP inside the lease: no final dot after its deadline, and the whole send aborted before the lease ends.
   * An email's send-by deadline bounds the final dot too (the relay stores the message at that dot), so an
   * attempt claimed just before expiresAt cannot deliver after it: stopped there (ELEASE), it is recorded as
   * failed and expired at once (deadline-passed), and the relay circuit does not count it.
   */
  private async deliver(
    email: EmailDetails,
    contents: ReadonlyMap<string, Buffer>,
    startedAt: number,
    startedAtMs: number,
  ): Promise<EmailCommand | 'unanswered'> {
    const mail = toOutgoingMail(email, contents);
    const leaseDotBy = startedAt + this.budget.finalDotMs;
    const deadlineDotBy =
      email.expiresAt === undefined
        ? Number.POSITIVE_INFINITY
        : startedAt + (Date.parse(email.expiresAt) - startedAtMs);
    const elapsed = performance.now() - startedAt;
    const signal = AbortSignal.timeout(Math.max(0, Math.floor(this.budget.abortMs - elapsed)));
    try {
      const { response } = await this.transport.send(mail, {
        finalDotBy: Math.min(leaseDotBy, deadlineDotBy),
        signal,
        beforeBody: () => this.handOff(),
      });
      this.circuit.recordAnswer();
      return {
        type: 'RecordSendSuccess',
        data: {
          messageId: mail.messageId,
          response,
          now: formatInstant(this.clock.estimateNowMs()),
        },
      };
    } catch (error) {
      if (error instanceof UnansweredSendError) return 'unanswered';
      const { message, ...signalled } = failureDetails(error);
      const kind = classifySmtpFailure(signalled);
      // Stopped by the email's own deadline, not the lease: that says nothing about the relay, and a batch
      // sharing one deadline must not open the circuit for everyone else's emails.
      const ownDeadline = signalled.errorCode === FINAL_DOT_TOO_LATE && deadlineDotBy < leaseDotBy;
      const retryNotBefore =
        kind === 'relay-unavailable' && !ownDeadline ? this.circuit.recordFailure() : undefined;
      if (kind !== 'relay-unavailable') this.circuit.recordAnswer();
      return {
        type: 'RecordSendFailure',
        data: {
          failure: {
            kind,
            ...(signalled.responseCode === undefined ? {} : { code: signalled.responseCode }),
            ...(signalled.errorCode === undefined ? {} : { errorCode: signalled.errorCode }),
            message,
          },
          now: formatInstant(this.clock.estimateNowMs()),
          random: Math.random(),
          ...(retryNotBefore === undefined
            ? {}
            : { retryNotBefore: formatInstant(retryNotBefore) }),
        },
      };
    }
  }

  /**
   * The bytes of the email's attachments, or why they cannot be had. Missing bytes should never happen: the
   * api stores them before it appends the email, and the janitor deletes them only after the email is final
   * and its retention has passed. If they are missing anyway, no retry would bring them back.
   */
  private async attachmentContents(
    email: EmailDetails,
  ): Promise<ReadonlyMap<string, Buffer> | Error> {
    const contents = new Map<string, Buffer>();
    for (const { sha256, filename } of email.attachments ?? []) {
      if (contents.has(sha256)) continue;
      const bytes = await this.attachments.read(email.tenantId, sha256);
      if (bytes === undefined)
        return new Error(`the bytes of attachment "${filename}" (sha256 ${sha256}) are missing`);
      contents.set(sha256, bytes);
    }
    return contents;
  }

  /** Waits for this message's MIN_SEND_GAP_MS hand-off moment, if there is a gap to keep. */
  private async handOff(): Promise<void> {
    const at = await this.rateLimiter.handOffAt();
    if (at === undefined) return;
    const waitMs = at - this.clock.estimateNowMs();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  /**
   * EmailSent or EmailFailed at r + 1. A failed append (Postgres down, say) is retried as the same decision
   * (the same event ids), so one that did commit before its answer was lost is found, not written twice; and
   * for as long as it takes: while this job retries it holds its lock, so the lease check leaves the attempt
   * alone, whereas giving up would leave a sent email to be resolved in doubt (and sent again).
   */
  private async record(claimed: EmailAtRevision, outcome: EmailCommand): Promise<SendOutcome> {
    const events = decide(outcome, claimed.state, this.rules);
    const decisionId = randomUUID();
    for (let tried = 1; ; tried += 1) {
      try {
        await this.streams.append(claimed, events, {}, decisionId);
        break;
      } catch (error) {
        if (error instanceof ConcurrencyError) {
          this.logger.warn(
            `email ${claimed.emailId}: the outcome of its attempt came after the attempt was resolved`,
          );
          return { kind: 'outcome-lost' };
        }
        if (tried % 20 === 0) {
          this.logger.warn(
            `email ${claimed.emailId}: its outcome is not recorded yet (${tried} tries): ${String(error)}`,
          );
        }
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(OUTCOME_RETRY_CAP_MS, 50 * 2 ** Math.min(tried, 10))),
        );
      }
    }
    // A failure whose retry would come past the deadline ends the email expired (EmailFailed, EmailExpired).
    const expired = expiryIn(events);
    if (expired) return { kind: 'expired', reason: expired };
    const [event] = events;
    return event?.type === 'EmailFailed'
      ? { kind: 'failed', failureKind: event.data.failure.kind }
      : { kind: 'sent' };
  }

  /**
   * Resolves an attempt whose lease ran out, and only when its claimer is gone: while the claimer's send job
   * still holds its BullMQ lock (renewed by a live worker, lost when it dies or freezes past the lock), the
   * attempt is not in doubt, and the check looks again shortly.
   */
  async checkLease(emailId: string, revision: number): Promise<LeaseOutcome> {
    const loaded = await this.streams.load(emailId);
    const { state } = loaded;
    if (loaded.expectedRevision !== revision || state.status !== 'attempting')
      return { kind: 'stale' };
    const leaseMs = Date.parse(state.leaseUntil);
    const nowMs = await this.clock.nowMs();
    if (nowMs < leaseMs) return { kind: 'early', dueAtMs: leaseMs };
    if (await this.locks.isHeld(state.jobId)) {
      return { kind: 'early', dueAtMs: nowMs + LIVE_CLAIMER_RECHECK_MS };
    }
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
      `email ${emailId}: attempt in doubt after its lease ran out and its worker was gone, resolved: ${resolution}`,
    );
    return { kind: 'resolved', resolution };
  }
}

/** An email due at the revision its job is for. */
type DueEmail = LoadedEmail & { readonly state: ScheduledState; readonly expectedRevision: number };

function isDueAt(loaded: LoadedEmail, revision: number): loaded is DueEmail {
  return loaded.expectedRevision === revision && loaded.state.status === 'scheduled';
}

type PausedEmail = LoadedEmail & { readonly state: PausedState; readonly expectedRevision: number };

function isPausedAt(loaded: LoadedEmail, revision: number): loaded is PausedEmail {
  return loaded.expectedRevision === revision && loaded.state.status === 'paused';
}

function expiryIn(events: readonly EmailEvent[]): ExpiryReason | undefined {
  const last = events.at(-1);
  return last?.type === 'EmailExpired' ? last.data.reason : undefined;
}
