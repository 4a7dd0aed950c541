// The webhooks routes of the api (docs/WEBHOOKS.md), one typed function each.
import { get, request, withQuery } from './api';
import type {
  CreateWebhookRequest,
  CreatedWebhookEndpoint,
  RotatedWebhookSecret,
  UpdateWebhookRequest,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookReplayRequest,
  WebhookReplayResult,
  WebhookTestResult,
} from './types';

const BASE = '/v1/webhooks';

function endpointPath(id: string): string {
  return `${BASE}/${encodeURIComponent(id)}`;
}

function deliveryPath(id: string, deliveryId: string): string {
  return `${endpointPath(id)}/deliveries/${encodeURIComponent(deliveryId)}`;
}

export function listWebhooks(signal?: AbortSignal): Promise<WebhookEndpointList> {
  return get<WebhookEndpointList>(BASE, signal);
}

export function getWebhook(id: string, signal?: AbortSignal): Promise<WebhookEndpoint> {
  return get<WebhookEndpoint>(endpointPath(id), signal);
}

export async function createWebhook(body: CreateWebhookRequest): Promise<CreatedWebhookEndpoint> {
  return (await request<CreatedWebhookEndpoint>(BASE, { method: 'POST', json: body })).body;
}

export async function updateWebhook(
  id: string,
  body: UpdateWebhookRequest,
): Promise<WebhookEndpoint> {
  return (await request<WebhookEndpoint>(endpointPath(id), { method: 'PATCH', json: body })).body;
}

export async function deleteWebhook(id: string): Promise<void> {
  await request<unknown>(endpointPath(id), { method: 'DELETE' });
}

export async function rotateWebhookSecret(id: string): Promise<RotatedWebhookSecret> {
  return (
    await request<RotatedWebhookSecret>(`${endpointPath(id)}/rotate-secret`, { method: 'POST' })
  ).body;
}

export async function sendWebhookTest(id: string): Promise<WebhookTestResult> {
  return (await request<WebhookTestResult>(`${endpointPath(id)}/test`, { method: 'POST' })).body;
}

export async function replayWebhook(
  id: string,
  body: WebhookReplayRequest,
): Promise<WebhookReplayResult> {
  return (
    await request<WebhookReplayResult>(`${endpointPath(id)}/replay`, { method: 'POST', json: body })
  ).body;
}

/** The path of one page of an endpoint's delivery log (it is also the page's polling key). */
export function deliveriesPath(
  id: string,
  params: { status?: WebhookDeliveryStatus; cursor?: string; limit?: number },
): string {
  return withQuery(`${endpointPath(id)}/deliveries`, params);
}

export function listDeliveries(path: string, signal?: AbortSignal): Promise<WebhookDeliveryPage> {
  return get<WebhookDeliveryPage>(path, signal);
}

export function getDelivery(
  id: string,
  deliveryId: string,
  signal?: AbortSignal,
): Promise<WebhookDeliveryDetail> {
  return get<WebhookDeliveryDetail>(deliveryPath(id, deliveryId), signal);
}

export async function retryDelivery(id: string, deliveryId: string): Promise<WebhookDelivery> {
  return (
    await request<WebhookDelivery>(`${deliveryPath(id, deliveryId)}/retry`, { method: 'POST' })
  ).body;
}
