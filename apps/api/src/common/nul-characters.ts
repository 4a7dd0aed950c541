// PostgreSQL keeps no NUL (U+0000) in text or jsonb: one that reached a query, an insert or an event append
// answered 500 (SQLSTATE 22021 / 22P05), and a batch's whole append would fail with it. No field of the
// contract has a use for one, so a request carrying one, in its URL or anywhere in its JSON body, is
// refused at the door with a 400 before any handler runs.

/** A body-parser style error (status and type), mapped to 400 by toErrorBody. */
export class NulCharacterError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly type = 'entity.nul.character';
  readonly expose = true;

  constructor(readonly where: 'url' | 'body') {
    super(`the request ${where} carries a NUL character (U+0000), which no field accepts`);
  }
}

/** Whether a JSON text escapes a NUL (`\u0000`) in a string; a raw NUL byte is no valid JSON anyway. */
export function jsonHasNul(text: Buffer | string): boolean {
  const source = typeof text === 'string' ? text : text.toString('utf8');
  const escape = /\\u0000/gi;
  for (let match = escape.exec(source); match; match = escape.exec(source)) {
    // `\\u0000` is a backslash and the text "u0000": only an odd run of backslashes escapes the u.
    let backslashes = 0;
    for (let index = match.index; index >= 0 && source[index] === '\\'; index--) backslashes++;
    if (backslashes % 2 === 1) return true;
  }
  return false;
}

/** body-parser's `verify` hook for JSON bodies. */
export function refuseJsonNul(_req: unknown, _res: unknown, buffer: Buffer): void {
  if (jsonHasNul(buffer)) throw new NulCharacterError('body');
}

/** Express middleware: a URL whose path or query decodes to a NUL. */
export function refuseUrlNul(
  request: { readonly url?: string },
  _response: unknown,
  next: (error?: unknown) => void,
): void {
  next(/%00/.test(request.url ?? '') ? new NulCharacterError('url') : undefined);
}
