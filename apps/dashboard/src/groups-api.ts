// The api's routes for acting on one email and on batches (README "Batches"), one typed function each.
import { get, request, withQuery } from './api';
import type { BatchPage, BatchView, GroupAction, GroupActionReport, WriteResult } from './types';

/** POST /v1/emails/:id/pause|resume|retry, If-Match the revision the page shows. */
export async function emailAction(
  id: string,
  action: 'pause' | 'resume' | 'retry',
  revision: number,
  reason?: string,
): Promise<WriteResult> {
  const path = `/v1/emails/${encodeURIComponent(id)}/${action}`;
  const json = action === 'resume' || reason === undefined || reason === '' ? {} : { reason };
  return (
    await request<WriteResult>(path, {
      method: 'POST',
      json,
      headers: { 'if-match': `"${revision}"` },
    })
  ).body;
}

/** Retry one failed email from a list, without an If-Match: the api refuses it (409) if it is no longer failed. */
export async function retryEmail(id: string): Promise<WriteResult> {
  return (
    await request<WriteResult>(`/v1/emails/${encodeURIComponent(id)}/retry`, {
      method: 'POST',
      json: {},
    })
  ).body;
}

export function batchesPath(cursor: string | undefined, limit: number): string {
  return withQuery('/v1/batches', { cursor, limit });
}

export function listBatches(path: string, signal?: AbortSignal): Promise<BatchPage> {
  return get<BatchPage>(path, signal);
}

export function getBatch(id: string, signal?: AbortSignal): Promise<BatchView> {
  return get<BatchView>(`/v1/batches/${encodeURIComponent(id)}`, signal);
}

export async function batchAction(
  id: string,
  action: GroupAction,
  reason?: string,
): Promise<GroupActionReport> {
  const json = reason === undefined || reason === '' ? {} : { reason };
  return (
    await request<GroupActionReport>(`/v1/batches/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      json,
    })
  ).body;
}
