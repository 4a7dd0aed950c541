// The templates routes of the api (issue 19), one typed function each.
import { get, request, withQuery } from './api';
import type {
  TemplateContent,
  TemplateDetail,
  TemplatePage,
  TemplateSummary,
  TemplateVersion,
} from './types';

const BASE = '/v1/templates';

function templatePath(id: string): string {
  return `${BASE}/${encodeURIComponent(id)}`;
}

function versionPath(id: string, version: number): string {
  return `${templatePath(id)}/versions/${version}`;
}

export function templatesPath(cursor?: string, limit?: number): string {
  return withQuery(BASE, { cursor, limit });
}

export function listTemplates(path: string, signal?: AbortSignal): Promise<TemplatePage> {
  return get<TemplatePage>(path, signal);
}

export function getTemplate(id: string, signal?: AbortSignal): Promise<TemplateDetail> {
  return get<TemplateDetail>(templatePath(id), signal);
}

export async function createTemplate(
  body: { readonly name: string } & TemplateContent,
): Promise<TemplateSummary> {
  return (await request<TemplateSummary>(BASE, { method: 'POST', json: body })).body;
}

export async function deleteTemplate(id: string): Promise<void> {
  await request<unknown>(templatePath(id), { method: 'DELETE' });
}

/** A new draft version. */
export async function addVersion(id: string, body: TemplateContent): Promise<TemplateVersion> {
  return (
    await request<TemplateVersion>(`${templatePath(id)}/versions`, { method: 'POST', json: body })
  ).body;
}

/** Drafts only: the api answers 409 for a published version. */
export async function editDraft(
  id: string,
  version: number,
  body: TemplateContent,
): Promise<TemplateVersion> {
  return (await request<TemplateVersion>(versionPath(id, version), { method: 'PATCH', json: body }))
    .body;
}

export async function publishVersion(id: string, version: number): Promise<TemplateVersion> {
  return (await request<TemplateVersion>(`${versionPath(id, version)}/publish`, { method: 'POST' }))
    .body;
}

/** The subject and bodies the variables render; 400 names `template.variables.x`, 422 does not render. */
export async function previewTemplate(
  id: string,
  body: { readonly version?: number; readonly variables: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<TemplateContent> {
  return (
    await request<TemplateContent>(`${templatePath(id)}/preview`, {
      method: 'POST',
      json: body,
      signal,
    })
  ).body;
}
