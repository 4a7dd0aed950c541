// Scheduling new emails, one or a thousand at a time: render the templated ones, load (an id made just now
// needs no read), fold, decide, then one appendMany for them all. ScheduleEmail and ScheduleEmails both run it, so single
// requests, batches and CSV rows all meet the same rules, the sender identity among them.

import { randomUUID } from 'node:crypto';
import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { decide, type SenderIdentity } from '@app/domain';
import {
  EmailStreams,
  MAX_CONCURRENCY_ATTEMPTS,
  currentResult,
  type EmailWrite,
  type EmailWriteResult,
  type LoadedEmail,
} from '@app/email-streams';
import { AttachmentStore } from '@app/attachments';
import { mapConcurrently } from '@app/async';
import { ConcurrencyError } from '@app/event-store';
import { TenantsRepository } from '@app/tenants';
import { BatchesRepository, type BatchMember } from '../../batches/batches.repository';
import { EmailQuotas, type QuotaReservation } from '../../quotas/email-quotas';
import { TemplateRendering } from '../../templates/template-rendering';
import { Clock } from '../clock';
import type { Requester, ScheduleEmailItem } from './schedule-email.command';
import { renderTemplatedItems } from './templated-items';

export interface ScheduleEmailResult extends EmailWriteResult {
  /** False when an Idempotency-Key repeat found the email already scheduled by the same request. */
  readonly created: boolean;
}

/** Each item's outcome: its result, or the error that refused it (a domain error, a 422, a conflict). */
export type ScheduleOutcome = ScheduleEmailResult | Error;

const ATTACHMENT_WRITES_IN_FLIGHT = 4;

interface Pending {
  readonly item: ScheduleEmailItem;
  readonly index: number;
  /** Its template did not render: its outcome, unless it is an Idempotency-Key repeat. */
  readonly refusal?: Error;
}

interface Planned extends Pending {
  readonly write: EmailWrite;
}

@Injectable()
export class EmailScheduling {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
    private readonly tenants: TenantsRepository,
    private readonly quotas: EmailQuotas,
    private readonly batches: BatchesRepository,
    private readonly templates: TemplateRendering,
    private readonly attachments: AttachmentStore,
  ) {}

  async schedule(
    requester: Requester,
    items: readonly ScheduleEmailItem[],
  ): Promise<ScheduleOutcome[]> {
    const { tenantId } = requester;
    // Read once, so every item of the request is decided on the same settings.
    const senderIdentity = await this.senderIdentityOf(requester);
    const outcomes = new Array<ScheduleOutcome>(items.length);
    let pending: Pending[] = [];
    (await renderTemplatedItems(this.templates, tenantId, items)).forEach((rendered, index) => {
      const item = items[index];
      if (!(rendered instanceof Error)) pending.push({ item: rendered, index });
      // A keyed repeat answers with the email it made, whatever became of its template since.
      else if (item?.idempotency) pending.push({ item, index, refusal: rendered });
      else outcomes[index] = rendered;
    });
    let quota: QuotaReservation | undefined;
    try {
      // A conflict means another writer got to a keyed email first: its items go round again, a bounded
      // number of times, and the last ConcurrencyError is their outcome (a 409).
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        const planned = this.plan(
          tenantId,
          senderIdentity,
          pending,
          await this.load(pending),
          outcomes,
        );
        // The quotas count what the first round would append, before anything is: over one, the whole
        // request is refused (a 429); what ends up not appended is given back below.
        if (attempt === 1)
          quota = await this.quotas.reserve(
            tenantId,
            // Decided, so each has its subject (a templated one rendered); the input's type cannot say so.
            planned.map((p) => ({ ...p.item.input, subject: p.item.input.subject ?? '' })),
          );
        await this.recordMembers(planned);
        await this.storeAttachments(tenantId, planned);
        const results = await this.streams.appendMany(planned.map((p) => p.write));
        const again: Pending[] = [];
        planned.forEach((p, i) => {
          const result = results[i] ?? new Error('no result for a planned append');
          if (result instanceof ConcurrencyError && attempt < MAX_CONCURRENCY_ATTEMPTS)
            again.push(p);
          else if (result instanceof Error) outcomes[p.index] = result;
          // Our own decision's ids: only this request can have written them, so it created the email.
          else outcomes[p.index] = { ...result, created: true };
        });
        pending = again;
      }
    } finally {
      await this.quotas.release(
        quota,
        outcomes.filter((o) => !(o instanceof Error) && o.created).length,
      );
    }
    return outcomes;
  }

  /**
   * A batch's members, before their emails are appended: an action on the batch then reaches each one even
   * before the projector has shown it (one whose append then fails is reported as not found).
   */
  private async recordMembers(planned: readonly Planned[]): Promise<void> {
    const byBatch = new Map<string, BatchMember[]>();
    for (const { item, index } of planned) {
      const { batchId } = item.input;
      if (batchId === undefined) continue;
      const members = byBatch.get(batchId) ?? [];
      members.push({ emailId: item.emailId, position: item.position ?? index });
      byBatch.set(batchId, members);
    }
    for (const [batchId, members] of byBatch) await this.batches.addMembers(batchId, members);
  }

  /**
   * The bytes of what was decided on, before its append: a refused item stores nothing, and an append that
   * then fails (or a crash) leaves only bytes no stream refers to, which the worker's purge janitor drops
   * once their holder's grace has passed with the stream still missing.
   */
  private async storeAttachments(tenantId: string, planned: readonly Planned[]): Promise<void> {
    const holding = planned.flatMap(({ item: { emailId, files } }) =>
      files === undefined ? [] : [{ emailId, files }],
    );
    // A few at once: each is its own transaction, and the pool is shared with the request's other work.
    await mapConcurrently(holding, ATTACHMENT_WRITES_IN_FLIGHT, ({ emailId, files }) =>
      this.attachments.put(tenantId, emailId, files),
    );
  }

  /** Admins send from any address (and need no read); a sender from its tenant's domains. */
  private async senderIdentityOf(requester: Requester): Promise<SenderIdentity> {
    if (requester.role === 'admin') return { kind: 'any' };
    const settings = await this.tenants.get(requester.tenantId);
    return { kind: 'domains', domains: settings.senderDomains };
  }

  private load(pending: readonly Pending[]): Promise<LoadedEmail[]> {
    return Promise.all(
      pending.map(async ({ item }) =>
        item.idempotency ? this.streams.load(item.emailId) : this.streams.fresh(item.emailId),
      ),
    );
  }

  /** Decides each item; what is refused (or an idempotent repeat) gets its outcome now. */
  private plan(
    tenantId: string,
    senderIdentity: SenderIdentity,
    pending: readonly Pending[],
    loaded: readonly LoadedEmail[],
    outcomes: ScheduleOutcome[],
  ): Planned[] {
    const now = this.clock.now();
    const planned: Planned[] = [];
    pending.forEach((p, i) => {
      const current = loaded[i];
      if (!current) throw new Error('an item was not loaded');
      const { item, index } = p;
      try {
        if (item.idempotency && current.state.status !== 'initial') {
          outcomes[index] = repeat(current, item.idempotency);
          return;
        }
        if (p.refusal) {
          outcomes[index] = p.refusal;
          return;
        }
        const events = decide(
          {
            type: 'ScheduleEmail',
            data: {
              ...item.input,
              emailId: item.emailId,
              tenantId,
              senderIdentity,
              now,
              ...(item.idempotency ? { idempotencyKey: item.idempotency.key } : {}),
            },
          },
          current.state,
        );
        planned.push({
          ...p,
          write: {
            loaded: current,
            events,
            metadata: {
              correlationId: randomUUID(),
              tenantId,
              ...(item.idempotency ? { requestHash: item.idempotency.requestHash } : {}),
            },
          },
        });
      } catch (error) {
        outcomes[index] = error instanceof Error ? error : new Error(String(error));
      }
    });
    return planned;
  }
}

/** Admins may send from any address; a tenant's senders only from its configured domains. */
function repeat(
  loaded: LoadedEmail,
  idempotency: { readonly requestHash: string },
): ScheduleEmailResult {
  if (loaded.events[0]?.metadata.requestHash !== idempotency.requestHash) {
    throw new UnprocessableEntityException(
      'this Idempotency-Key was already used with a different request',
    );
  }
  return { ...currentResult(loaded), created: false };
}
