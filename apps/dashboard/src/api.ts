import type { FieldIssue } from './types';

/** An answer other than 2xx, in the api's error shape `{statusCode, error, message, details?}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface ApiReply<T> {
  readonly body: T;
  readonly etag: string | null;
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every request that changes something. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function isFieldIssues(value: unknown): value is FieldIssue[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as { field?: unknown }).field === 'string' &&
        typeof (item as { reason?: unknown }).reason === 'string',
    )
  );
}

async function failure(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let details: FieldIssue[] = [];
  try {
    const body = (await response.json()) as { message?: unknown; details?: unknown };
    if (typeof body.message === 'string') message = body.message;
    if (isFieldIssues(body.details)) details = body.details;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(response.status, message, details);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly form?: FormData;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** A same-origin call to the api with the session cookie; throws ApiError for any non-2xx. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiReply<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
    signal: options.signal,
  });
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return {
    body: (text === '' ? undefined : JSON.parse(text)) as T,
    etag: response.headers.get('etag'),
  };
}

/** A same-origin GET of bytes (a file to save) with the session cookie; throws ApiError for any non-2xx. */
export async function getBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const response = await fetch(path, { credentials: 'same-origin', signal });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(path, { signal })).body;
}

/** `path` with the defined, non-empty parameters as its query string. */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
