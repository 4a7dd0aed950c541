import { ApiProperty } from '@nestjs/swagger';
import type { AttemptingState, EmailState, SentState } from '@app/domain';

export class HistoryEventView {
  /** The event's revision in the email's own stream. */
  readonly revision!: number;
  readonly type!: string;
  readonly recordedAt!: string;
  /**
   * The event's payload. For a sender key, without a claim's worker and job ids or the relay's reply,
   * and a failure's `message` is a fixed reason per `kind` instead of the relay's text.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly data!: Record<string, unknown>;
}

/**
 * The email's state as the caller may see it: the domain's EmailState for an admin; a sender key's lacks
 * the claim's worker and job, and the relay's reply (sender-views.ts).
 */
export type EmailStateView =
  | Exclude<EmailState, AttemptingState | SentState>
  | Omit<AttemptingState, 'workerId' | 'jobId'>
  | Omit<SentState, 'response'>;

/** `GET /v1/emails/:id/history`: the stream itself, not the read model, folded up to a point. */
export class EmailHistory {
  readonly id!: string;
  /** The revision of the last event replayed; null when the cut-off is before the first event. */
  readonly revision!: number | null;
  @ApiProperty({ type: [HistoryEventView] })
  readonly events!: readonly HistoryEventView[];
  /**
   * The email as its events fold up to the cut-off (the domain's EmailState). For a sender key, without
   * the worker and job of an attempt or the relay's reply, and with a failure's reason instead of its text.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly state!: EmailStateView;
}
