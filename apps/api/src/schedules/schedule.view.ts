import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  formatInstant,
  occurrencesAfter,
  parseInstant,
  recurrenceOf,
  type LiveScheduleState,
  type ScheduleEmailTemplate,
} from '@app/domain';

export const NEXT_OCCURRENCES = 5;

/** A schedule as the API answers it. */
export class ScheduleView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['active', 'paused', 'deleted'] })
  status!: 'active' | 'paused' | 'deleted';

  @ApiProperty()
  tenantId!: string;

  @ApiPropertyOptional()
  rrule?: string;

  @ApiPropertyOptional()
  cron?: string;

  @ApiProperty()
  timeZone!: string;

  @ApiProperty({ format: 'date-time' })
  startAt!: string;

  @ApiPropertyOptional({ description: 'The wall-clock start, when it was given as one' })
  localStartAt?: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  until!: string | null;

  @ApiProperty({ enum: ['skip', 'all'] })
  catchUp!: 'skip' | 'all';

  @ApiProperty({ type: Object, description: 'The email each occurrence becomes' })
  email!: ScheduleEmailTemplate;

  @ApiProperty({
    type: [String],
    description: 'The next occurrences still to be created (up to 5; none when deleted or ended)',
  })
  nextOccurrences!: string[];

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastOccurrenceAt!: string | null;

  @ApiProperty()
  occurrencesCreated!: number;

  @ApiProperty()
  occurrencesSkipped!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: "The schedule stream's revision" })
  revision!: number;
}

export class ScheduleList {
  @ApiProperty({ type: [ScheduleView] })
  items!: ScheduleView[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}

export class ScheduleHistoryEventView {
  @ApiProperty()
  revision!: number;

  @ApiProperty()
  type!: string;

  @ApiProperty({ type: Object })
  data!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

export class ScheduleHistoryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: [ScheduleHistoryEventView] })
  events!: ScheduleHistoryEventView[];
}

export function toScheduleView(
  id: string,
  state: LiveScheduleState,
  revision: number,
  nowMs: number,
): ScheduleView {
  const { schedule } = state;
  const cursorMs = parseInstant(state.cursor) ?? 0;
  // A paused schedule's next occurrences are the ones it would create if resumed now.
  const afterMs = state.status === 'paused' ? Math.max(cursorMs, nowMs - 1) : cursorMs;
  const next =
    state.status === 'deleted'
      ? []
      : occurrencesAfter(recurrenceOf(schedule), afterMs, NEXT_OCCURRENCES);
  return {
    id,
    status: state.status,
    tenantId: schedule.tenantId,
    ...('rrule' in schedule.rule ? { rrule: schedule.rule.rrule } : { cron: schedule.rule.cron }),
    timeZone: schedule.timeZone,
    startAt: schedule.startAt,
    ...(schedule.localStartAt === undefined ? {} : { localStartAt: schedule.localStartAt }),
    until: schedule.until ?? null,
    catchUp: schedule.catchUp,
    email: schedule.email,
    nextOccurrences: next.map(formatInstant),
    lastOccurrenceAt: state.lastOccurrenceAt ?? null,
    occurrencesCreated: state.occurrencesCreated,
    occurrencesSkipped: state.occurrencesSkipped,
    createdAt: schedule.createdAt,
    revision,
  };
}
