import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { initialState, NotFoundError, replay, type EmailEvent, type EmailState } from '@app/domain';
import {
  ConcurrencyError,
  StreamNotFoundError,
  formatPosition,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  type StreamAppend,
} from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import {
  emailStreamName,
  toEmailEvent,
  toEventsToAppend,
  type EmailEventMetadata,
} from './email-stream.mapping';

/** An email's state at one revision: what a decision is made on and its append expects. */
export interface EmailAtRevision {
  readonly emailId: string;
  readonly state: EmailState;
  /** The revision the state was folded at: what the next append expects. */
  readonly expectedRevision: ExpectedRevision;
}

export interface LoadedEmail extends EmailAtRevision {
  readonly events: readonly RecordedEvent[];
}

/** What every write answers: the email as it now stands, and where in the store that is. */
export interface EmailWriteResult {
  readonly id: string;
  readonly status: EmailState['status'];
  /** An instant, also when it was asked as wall-clock time in `timeZone`. */
  readonly sendAt: string | null;
  /** Set when sendAt was asked as wall-clock time: the zone, and that time as asked. */
  readonly timeZone?: string;
  readonly localSendAt?: string;
  readonly expiresAt?: string;
  readonly revision: number;
  readonly position: string;
}

/** One email's part of an appendMany. */
export interface EmailWrite {
  readonly loaded: EmailAtRevision;
  readonly events: readonly EmailEvent[];
  readonly metadata?: EmailEventMetadata;
  /**
   * Names the decision these events are (their ids derive from it). A retry of the very same decision
   * passes the same id and is a no-op if the first try committed; left out, each call is a decision of its own.
   */
  readonly decisionId?: string;
}

export const MAX_CONCURRENCY_ATTEMPTS = 3;

/** Reads and writes one email's stream; the only place the handlers meet the event store. */
@Injectable()
export class EmailStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async read(emailId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(emailStreamName(emailId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async load(emailId: string): Promise<LoadedEmail> {
    const events = await this.read(emailId);
    const last = events[events.length - 1];
    return {
      emailId,
      events,
      state: events.length === 0 ? initialState : replay(events.map(toEmailEvent)),
      expectedRevision: last ? last.revision : 'no-stream',
    };
  }

  /** Loads the email for a tenant: another tenant's email is as unknown as a missing one. */
  async loadOwned(emailId: string, tenantId: string): Promise<LoadedEmail> {
    const loaded = await this.load(emailId);
    if (loaded.state.status === 'initial' || loaded.state.email.tenantId !== tenantId) {
      throw new NotFoundError();
    }
    return loaded;
  }

  /** A new email's empty stream, without asking the store: its id was made for it just now. */
  fresh(emailId: string): LoadedEmail {
    return { emailId, events: [], state: initialState, expectedRevision: 'no-stream' };
  }

  /**
   * Appends one decision's events at the revision the email was loaded at: a ConcurrencyError when anyone
   * else wrote since, whatever they wrote.
   */
  async append(
    loaded: EmailAtRevision,
    events: readonly EmailEvent[],
    metadata: EmailEventMetadata = {},
    decisionId: string = randomUUID(),
  ): Promise<EmailWriteResult> {
    const write = streamAppend({ loaded, events, metadata, decisionId });
    const result = await this.store.append(write.streamName, write.events, write.expectedRevision);
    return writeResult(loaded, events, result);
  }

  /**
   * The same append, answered with the email as it now stands: the state and revision the next decision on
   * it starts from (the sender's claim → outcome, without reading the stream again).
   */
  async advance(
    loaded: EmailAtRevision,
    events: readonly EmailEvent[],
    decisionId: string = randomUUID(),
  ): Promise<EmailAtRevision> {
    const { revision } = await this.append(loaded, events, {}, decisionId);
    return {
      emailId: loaded.emailId,
      state: replay(events, loaded.state),
      expectedRevision: revision,
    };
  }

  /**
   * Appends for many emails in one go; each is answered on its own: its result, its ConcurrencyError, or
   * the error that refused its own append alone (a payload the store would not take).
   */
  async appendMany(writes: readonly EmailWrite[]): Promise<(EmailWriteResult | Error)[]> {
    const results = await this.store.appendMany(writes.map(streamAppend));
    return results.map((result, index) => {
      const write = writes[index];
      if (!write) throw new Error('appendMany answered more than it was asked');
      return result instanceof Error ? result : writeResult(write.loaded, write.events, result);
    });
  }
}

function streamAppend({
  loaded,
  events,
  metadata = {},
  decisionId = randomUUID(),
}: EmailWrite): StreamAppend {
  return {
    streamName: emailStreamName(loaded.emailId),
    events: toEventsToAppend(decisionId, events, metadata),
    expectedRevision: loaded.expectedRevision,
  };
}

function writeResult(
  loaded: EmailAtRevision,
  events: readonly EmailEvent[],
  result: AppendResult,
): EmailWriteResult {
  return {
    ...emailSummary(loaded.emailId, replay(events, loaded.state)),
    revision: result.nextRevision,
    position: formatPosition(result.position),
  };
}

export function emailSummary(
  emailId: string,
  state: EmailState,
): Pick<EmailWriteResult, 'id' | 'status' | 'sendAt' | 'timeZone' | 'localSendAt' | 'expiresAt'> {
  if (state.status === 'initial') return { id: emailId, status: state.status, sendAt: null };
  const { sendAt, timeZone, localSendAt, expiresAt } = state.email;
  return {
    id: emailId,
    status: state.status,
    sendAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    ...(localSendAt === undefined ? {} : { localSendAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** The result of a read without a write: the stream's last event. */
export function currentResult(loaded: LoadedEmail): EmailWriteResult {
  const last = loaded.events[loaded.events.length - 1];
  if (!last) throw new NotFoundError();
  return {
    ...emailSummary(loaded.emailId, loaded.state),
    revision: last.revision,
    position: formatPosition(last.position),
  };
}

/**
 * Runs a load–decide–append cycle again when another writer got there first, a bounded number of
 * times; the last ConcurrencyError escapes (and becomes a 409).
 */
export async function retryOnConcurrency<T>(
  attempt: () => Promise<T>,
  attempts = MAX_CONCURRENCY_ATTEMPTS,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || tried >= attempts) throw error;
    }
  }
}
