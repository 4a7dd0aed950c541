// The api's recurring-send routes (README "Recurring sends"), one typed function each.
import { get, request, withQuery } from './api';
import type { CreateScheduleRequest, ScheduleHistory, SchedulePage, ScheduleView } from './types';

const BASE = '/v1/schedules';

function schedulePath(id: string): string {
  return `${BASE}/${encodeURIComponent(id)}`;
}

export function schedulesPath(cursor: string | undefined, limit: number): string {
  return withQuery(BASE, { cursor, limit });
}

export function listSchedules(path: string, signal?: AbortSignal): Promise<SchedulePage> {
  return get<SchedulePage>(path, signal);
}

export function getSchedule(id: string, signal?: AbortSignal): Promise<ScheduleView> {
  return get<ScheduleView>(schedulePath(id), signal);
}

export function getScheduleHistory(id: string, signal?: AbortSignal): Promise<ScheduleHistory> {
  return get<ScheduleHistory>(`${schedulePath(id)}/history`, signal);
}

export async function createSchedule(body: CreateScheduleRequest): Promise<ScheduleView> {
  return (await request<ScheduleView>(BASE, { method: 'POST', json: body })).body;
}

export async function scheduleAction(
  id: string,
  action: 'pause' | 'resume' | 'delete',
): Promise<void> {
  await request<unknown>(action === 'delete' ? schedulePath(id) : `${schedulePath(id)}/${action}`, {
    method: action === 'delete' ? 'DELETE' : 'POST',
  });
}
