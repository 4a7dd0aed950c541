// STUB: helper "delivery" writes the real one (checked address, no redirects, capped response); this only
// gives the shared signature, with plain fetch and no SSRF checks.
import type { UrlCheckOptions } from './address-policy';

export interface PostWebhookOptions extends UrlCheckOptions {
  readonly timeoutMs: number;
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

/** Never throws. Checks the URL, connects to exactly the checked address, no redirects followed, whole-request timeout. */
export async function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: PostWebhookOptions,
): Promise<PostOutcome> {
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = (await response.text()).slice(0, options.maxResponseBytes ?? 1024);
    return {
      kind: 'response',
      statusCode: response.status,
      latencyMs: Date.now() - started,
      responseExcerpt: text,
    };
  } catch (error) {
    return {
      kind: 'error',
      error: error instanceof Error ? error.message : String(error),
      latencyMs: Date.now() - started,
    };
  }
}
