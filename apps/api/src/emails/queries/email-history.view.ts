import { ApiProperty } from '@nestjs/swagger';
import type { EmailState } from '@app/domain';

export class HistoryEventView {
  readonly revision!: number;
  readonly type!: string;
  readonly recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly data!: Record<string, unknown>;
}

/** `GET /v1/emails/:id/history`: the stream itself, not the read model, folded up to a point. */
export class EmailHistory {
  readonly id!: string;
  /** The revision of the last event replayed; null when the cut-off is before the first event. */
  readonly revision!: number | null;
  @ApiProperty({ type: [HistoryEventView] })
  readonly events!: readonly HistoryEventView[];
  /** The email as its events fold up to the cut-off (the domain's EmailState). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly state!: EmailState;
}
