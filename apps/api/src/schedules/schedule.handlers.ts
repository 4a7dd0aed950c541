// The schedule commands and queries: load the stream, fold, decide, append with the expected revision, and
// keep the schedule's row current (ADR 0009). Nothing here knows HTTP beyond the 404 of a schedule.

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  DEFAULT_SCHEDULE_RULES,
  NotFoundError,
  decideSchedule,
  parseInstant,
  type LiveScheduleState,
  type ScheduleCommand,
  type ScheduleEvent,
  type ScheduleRules,
  type SenderIdentity,
} from '@app/domain';
import { ScheduleStreams, type LoadedSchedule, type ScheduleAtRevision } from '@app/email-streams';
import { APP_CONFIG, PG_POOL, type AppConfig } from '@app/platform';
import { listSchedules, migrateSchedules, saveScheduleRow, toScheduleRow } from '@app/read-model';
import { TenantsRepository } from '@app/tenants';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import { validationFailed } from '../common/validation';
import { Clock } from '../emails/clock';
import type { CreateScheduleDto } from './dto/create-schedule.dto';
import {
  toScheduleView,
  type ScheduleHistoryView,
  type ScheduleList,
  type ScheduleView,
} from './schedule.view';

type Action = 'pause' | 'resume' | 'delete';

const ACTION_COMMANDS: { readonly [A in Action]: ScheduleCommand['type'] } = {
  pause: 'PauseSchedule',
  resume: 'ResumeSchedule',
  delete: 'DeleteSchedule',
};

@Injectable()
export class ScheduleHandlers {
  private readonly rules: ScheduleRules;

  constructor(
    private readonly streams: ScheduleStreams,
    private readonly tenants: TenantsRepository,
    private readonly clock: Clock,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rules = { ...DEFAULT_SCHEDULE_RULES, minIntervalMs: config.recurrence.minIntervalMs };
  }

  migrate(): Promise<void> {
    return migrateSchedules(this.pool);
  }

  async create(principal: Principal, body: CreateScheduleDto): Promise<ScheduleView> {
    const scheduleId = randomUUID();
    const fresh = this.streams.fresh(scheduleId);
    const events = decideSchedule(
      {
        type: 'CreateSchedule',
        data: {
          scheduleId,
          tenantId: principal.tenantId,
          ...body,
          senderIdentity: await this.senderIdentityOf(principal),
          now: this.clock.now(),
        },
      },
      fresh.state,
      this.rules,
    );
    return this.write(fresh, events);
  }

  async act(principal: Principal, scheduleId: string, action: Action): Promise<ScheduleView> {
    const loaded = await this.load(principal, scheduleId);
    const events = decideSchedule(
      { type: ACTION_COMMANDS[action], data: { now: this.clock.now() } } as ScheduleCommand,
      loaded.state,
      this.rules,
    );
    return this.write(loaded, events);
  }

  async get(principal: Principal, scheduleId: string): Promise<ScheduleView> {
    const loaded = await this.load(principal, scheduleId);
    return this.view(
      loaded.scheduleId,
      loaded.state as LiveScheduleState,
      loaded.events.length - 1,
    );
  }

  async history(principal: Principal, scheduleId: string): Promise<ScheduleHistoryView> {
    const loaded = await this.load(principal, scheduleId);
    return {
      id: scheduleId,
      events: loaded.events.map((event) => ({
        revision: event.revision,
        type: event.type,
        data: event.data,
        recordedAt: event.recordedAt.toISOString(),
      })),
    };
  }

  /** The tenant's schedules, newest first, from the table (deleted ones left out). */
  async list(
    principal: Principal,
    cursor: string | undefined,
    limit: number,
  ): Promise<ScheduleList> {
    const rows = await listSchedules(
      this.pool,
      principal.tenantId,
      decodeCursor(cursor),
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => this.view(row.id, row.state as LiveScheduleState, row.revision)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.createdAt, id: last.id })
          : null,
    };
  }

  /** Admins send from any address; a sender from its tenant's domains, as for a one-off email. */
  private async senderIdentityOf(principal: Principal): Promise<SenderIdentity> {
    if (principal.role === 'admin') return { kind: 'any' };
    const settings = await this.tenants.get(principal.tenantId);
    return { kind: 'domains', domains: settings.senderDomains };
  }

  /** A schedule of the caller's tenant (any, for an admin); another tenant's is as unknown as none. */
  private async load(principal: Principal, scheduleId: string): Promise<LoadedSchedule> {
    const loaded = await this.streams.load(scheduleId);
    if (
      loaded.state.status === 'initial' ||
      (principal.role !== 'admin' && loaded.state.schedule.tenantId !== principal.tenantId)
    ) {
      throw new NotFoundException('no such schedule');
    }
    return loaded;
  }

  private async write(
    loaded: ScheduleAtRevision,
    events: readonly ScheduleEvent[],
  ): Promise<ScheduleView> {
    try {
      const written = await this.streams.append(loaded, events);
      const row = toScheduleRow(loaded.scheduleId, written.state, written.revision);
      // The row now, so the tenant's list shows it at once; the runner's catch-up would write it anyway.
      if (row) await saveScheduleRow(this.pool, row);
      return this.view(loaded.scheduleId, written.state as LiveScheduleState, written.revision);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundException('no such schedule');
      throw error;
    }
  }

  private view(id: string, state: LiveScheduleState, revision: number): ScheduleView {
    return toScheduleView(id, state, revision, parseInstant(this.clock.now()) ?? Date.now());
  }
}

function encodeCursor(cursor: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

function decodeCursor(text: string | undefined): { createdAt: string; id: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === 'string' &&
      typeof parsed[0] === 'string' &&
      parseInstant(parsed[0]) !== undefined
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw validationFailed([{ field: 'cursor', reason: 'is not a cursor this list gave' }]);
}
