// Acting on emails the owner already scheduled: cancel, pause, resume, retry, on one email (a write with
// its 409/412), or on many (a batch, a filter) with a report of what each email did. Each email is its own
// decision at its own revision: load, decide, append; another writer in between (a worker's claim) means
// load and decide again, so the outcome is what the email's latest state allows.
import { Injectable } from '@nestjs/common';
import { mapConcurrently } from '@app/async';
import {
  IllegalStateError,
  NotFoundError,
  decide,
  type EmailCommand,
  type EmailStatus,
} from '@app/domain';
import { EmailStreams, retryOnConcurrency, type EmailWriteResult } from '@app/email-streams';
import type { EmailRowStatus } from '@app/read-model';
import { ConcurrencyError } from '@app/event-store';
import { Clock } from '../emails/clock';
import { EMAIL_STATUSES } from '../emails/dto/list-emails-query.dto';
import { checkIfMatch } from '../emails/commands/if-match';

export const EMAIL_ACTIONS = ['cancel', 'pause', 'resume', 'retry'] as const;
export type EmailAction = (typeof EMAIL_ACTIONS)[number];

/** One email's line in an action's report. */
export interface ActionResult {
  readonly emailId: string;
  readonly outcome: 'done' | 'skipped';
  /** The email's status after the action (done) or the one that refused it (skipped); null: not found. */
  readonly status: EmailStatus | null;
  /** Why it was skipped, in the domain's words (e.g. "the email is already being sent"). */
  readonly reason?: string;
}

export interface ActionReport {
  readonly action: EmailAction;
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly results: ActionResult[];
}

export interface ActionOptions {
  /** The owner's words, recorded on the events that take them (cancel, pause, retry). */
  readonly reason?: string;
  /** Set when acting on a batch: pause and resume events say which batch moved them. */
  readonly batchId?: string;
  /** A single email's retry only: the owner accepts a possible duplicate of an attempt in doubt. */
  readonly resendInDoubt?: boolean;
}

/**
 * Emails acted on at once. Each needs a read and an append; the event store serves concurrent ones together
 * (one query per batch of reads, one transaction per batch of appends), so this many in flight turn 10,000
 * emails into a few hundred round trips (bench/batch-actions.bench.ts).
 */
export const ACTION_CONCURRENCY = 64;
/** Rounds of load–decide–append per email when writers keep meeting it at the same revision. */
const ACTION_ATTEMPTS = 5;

@Injectable()
export class EmailActions {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
  ) {}

  /** One email: the write's result, or the domain's refusal (404, 409) and If-Match's (412). */
  one(
    action: EmailAction,
    emailId: string,
    tenantId: string,
    options: ActionOptions & { readonly expectedRevision?: number } = {},
  ): Promise<EmailWriteResult> {
    return retryOnConcurrency(async () => {
      const loaded = await this.streams.loadOwned(emailId, tenantId);
      checkIfMatch(loaded, options.expectedRevision);
      const events = decide(command(action, this.clock.now(), options), loaded.state);
      return this.streams.append(loaded, events, { tenantId });
    }, ACTION_ATTEMPTS);
  }

  /** Every email of `emailIds` (the tenant's; others are not found), a report line each, in order. */
  async many(
    action: EmailAction,
    emailIds: readonly string[],
    tenantId: string,
    options: ActionOptions = {},
  ): Promise<ActionReport> {
    const results = await mapConcurrently(emailIds, ACTION_CONCURRENCY, (emailId) =>
      this.outcome(action, emailId, tenantId, options),
    );
    const done = results.filter((r) => r.outcome === 'done').length;
    return { action, total: results.length, done, skipped: results.length - done, results };
  }

  private async outcome(
    action: EmailAction,
    emailId: string,
    tenantId: string,
    options: ActionOptions,
  ): Promise<ActionResult> {
    try {
      const { status } = await this.one(action, emailId, tenantId, options);
      return { emailId, outcome: 'done', status };
    } catch (error) {
      if (error instanceof IllegalStateError) {
        return {
          emailId,
          outcome: 'skipped',
          status: emailStatusOf(error),
          reason: why(error.reason),
        };
      }
      if (error instanceof NotFoundError) {
        // A member whose append never happened (or another tenant's email): nothing to act on.
        return { emailId, outcome: 'skipped', status: null, reason: 'the email was not found' };
      }
      if (error instanceof ConcurrencyError) {
        return {
          emailId,
          outcome: 'skipped',
          status: null,
          reason: `the email changed under ${ACTION_ATTEMPTS} tries in a row; try again`,
        };
      }
      throw error;
    }
  }
}

function command(action: EmailAction, now: string, options: ActionOptions): EmailCommand {
  const reason = options.reason === undefined ? {} : { reason: options.reason };
  const batchId = options.batchId === undefined ? {} : { batchId: options.batchId };
  switch (action) {
    case 'cancel':
      return { type: 'CancelEmail', data: { now, ...reason } };
    case 'pause':
      return { type: 'PauseEmail', data: { now, ...reason, ...batchId } };
    case 'resume':
      return { type: 'ResumeEmail', data: { now, ...batchId } };
    case 'retry':
      return {
        type: 'RetryEmail',
        data: {
          now,
          ...reason,
          ...(options.resendInDoubt === true ? { resendInDoubt: true } : {}),
        },
      };
    default: {
      const unknown: never = action;
      throw new TypeError(`unknown action ${String(unknown)}`);
    }
  }
}

/** The domain says "cannot pause: the email is already being sent"; a report line names the action already. */
function why(reason: string): string {
  return reason.replace(/^cannot [^:]+: /, '');
}

/** The email's status an email decision refused in (IllegalStateError also serves schedules' decisions). */
function emailStatusOf(error: IllegalStateError): EmailRowStatus | null {
  const found = EMAIL_STATUSES.find((status) => status === error.status);
  return found ?? null;
}
