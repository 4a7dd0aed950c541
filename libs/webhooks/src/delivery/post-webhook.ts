import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkUrl, type UrlCheck, type UrlCheckOptions } from './address-policy';

export interface PostWebhookOptions extends UrlCheckOptions {
  /** For the whole attempt: resolving, connecting, sending, and reading the response up to its cap. */
  readonly timeoutMs: number;
  /** How much of the response body is read before the connection is dropped (default 64 KiB). */
  readonly maxResponseBytes?: number;
}

export type PostOutcome =
  | {
      readonly kind: 'response';
      readonly statusCode: number;
      readonly latencyMs: number;
      readonly responseExcerpt: string;
    }
  | { readonly kind: 'error'; readonly error: string; readonly latencyMs: number };

export const WEBHOOK_USER_AGENT = 'email-scheduler-webhooks/1';
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
/** The longest response excerpt kept, in UTF-16 code units (what a JS string's length counts). */
const RESPONSE_EXCERPT_CHARS = 1024;

/**
 * Never throws. Checks the URL, connects to exactly the checked address, no redirects followed, whole-request
 * timeout.
 *
 * Each call opens its own connection and closes it after the response (no keep-alive pool): whatever one
 * attempt left on a socket (a body read only to its cap, a half-sent response) never leaks into the next, and
 * no socket outlives the check that allowed its address. A receiver's answer is hostile input: only
 * `maxResponseBytes` of it is read, and its excerpt is sanitised (see {@link responseExcerpt}).
 */
export async function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: PostWebhookOptions,
): Promise<PostOutcome> {
  const started = performance.now();
  const latencyMs = (): number => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const timedOut = new Promise<'timed out'>((resolve) =>
    deadline.signal.addEventListener('abort', () => resolve('timed out'), { once: true }),
  );
  const error = (message: string): PostOutcome => ({
    kind: 'error',
    error: message,
    latencyMs: latencyMs(),
  });
  try {
    // A resolver that never answers is bounded by the same deadline (the lookup itself cannot be cancelled).
    const check = await Promise.race([checkUrl(url, options), timedOut]);
    if (check === 'timed out') {
      return error(`timed out after ${options.timeoutMs} ms (resolving the host)`);
    }
    if (!check.ok) {
      return error(check.cause === 'policy' ? `refused: ${check.reason}` : check.reason);
    }
    const { statusCode, received } = await send(
      check,
      headers,
      body,
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      deadline.signal,
    );
    return {
      kind: 'response',
      statusCode,
      latencyMs: latencyMs(),
      responseExcerpt: responseExcerpt(received),
    };
  } catch (failure) {
    return error(
      deadline.signal.aborted
        ? `timed out after ${options.timeoutMs} ms`
        : describeFailure(failure),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** One POST to the checked address; resolves once the body is read to its end or its cap. */
function send(
  target: Extract<UrlCheck, { ok: true }>,
  headers: Readonly<Record<string, string>>,
  body: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ statusCode: number; received: Buffer }> {
  return new Promise((resolve, reject) => {
    const { url, address, family } = target;
    const secure = url.protocol === 'https:';
    // `host` is the checked address itself, so nothing resolves the name again (no DNS rebinding). The name
    // still goes where it belongs: the Host header, and TLS's SNI and certificate check (servername).
    const request = (secure ? httpsRequest : httpRequest)({
      host: address,
      family,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      agent: false,
      ...(secure && isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0
        ? { servername: url.hostname }
        : {}),
      headers: {
        ...headers,
        host: url.host,
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    const fail = (failure: Error): void => {
      request.destroy();
      reject(failure);
    };
    request.on('error', fail);
    if (signal.aborted) {
      fail(new Error('aborted'));
    }
    signal.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        resolve({ statusCode: response.statusCode ?? 0, received: Buffer.concat(chunks, size) });
        // Whatever else the receiver sends is not read: the connection goes.
        request.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        const kept = chunk.subarray(0, maxBytes - size);
        chunks.push(kept);
        size += kept.length;
        if (size >= maxBytes) {
          done();
        }
      });
      response.on('end', done);
      // The body ended early: an error ('aborted') or, depending on timing, only a close.
      response.on('error', () => fail(new ClosedEarly()));
      response.on('close', () => {
        if (!response.complete) {
          fail(new ClosedEarly());
        }
      });
    });
    request.end(body);
  });
}

class ClosedEarly extends Error {
  constructor() {
    super('connection closed while reading the response');
  }
}

/** A short, clear message for a failed attempt; never the receiver's own words unsanitised. */
function describeFailure(failure: unknown): string {
  if (failure instanceof ClosedEarly) {
    return failure.message;
  }
  const { code, message } = failure as { code?: unknown; message?: unknown };
  const text = sanitise(typeof message === 'string' ? message : String(failure)).slice(0, 200);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return text === 'socket hang up' ? 'connection closed before a response' : 'connection reset';
    case 'EPIPE':
      return 'connection closed while sending the request';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
  }
  if (typeof code === 'string') {
    if (code.startsWith('HPE_')) {
      return `invalid HTTP response: ${text}`;
    }
    if (
      /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|HOSTNAME_)/.test(code)
    ) {
      return `TLS: ${text}`;
    }
    return `${code}: ${text}`;
  }
  return text;
}

/**
 * The first {@link RESPONSE_EXCERPT_CHARS} characters of a response body, safe to store and show: decoded as
 * UTF-8 (invalid sequences become U+FFFD), with control characters other than newline and tab — NUL, which
 * Postgres text refuses, and ANSI escapes that would drive a terminal — and bidirectional overrides replaced.
 */
function responseExcerpt(body: Buffer): string {
  // No more than three bytes of UTF-8 make one code unit of the excerpt: four times its length is plenty.
  const decoded = new TextDecoder('utf-8').decode(body.subarray(0, 4 * RESPONSE_EXCERPT_CHARS));
  const excerpt = sanitise(decoded).slice(0, RESPONSE_EXCERPT_CHARS);
  // Never end on half a surrogate pair.
  return /[\uD800-\uDBFF]$/.test(excerpt) ? excerpt.slice(0, -1) : excerpt;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function sanitise(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, '\uFFFD');
}
