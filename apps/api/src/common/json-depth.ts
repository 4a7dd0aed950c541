// Deeply nested JSON is refused before it is parsed: class-transformer and class-validator walk a body
// recursively, so a 100,000-level array (a few hundred kB, well under the body limit) would overflow the
// stack and answer 500. No request of the contract nests more than a handful of levels.

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;

/** A body-parser style error (status and type), mapped to 400 by toErrorBody. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly type = 'entity.too.deep';
  readonly expose = true;

  constructor(readonly maxDepth: number) {
    super(`the JSON body is nested deeper than ${maxDepth} levels`);
  }
}

/** The deepest nesting of `[`/`{` in a JSON text, ignoring brackets inside strings; stops past `limit`. */
export function jsonDepth(text: Buffer | string, limit = Number.MAX_SAFE_INTEGER): number {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c)
        index++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

/** body-parser's `verify` hook: throws JsonTooDeepError for a body nested deeper than `maxDepth`. */
export function verifyJsonDepth(maxDepth = MAX_JSON_DEPTH) {
  return (_req: unknown, _res: unknown, buffer: Buffer): void => {
    if (jsonDepth(buffer, maxDepth) > maxDepth) throw new JsonTooDeepError(maxDepth);
  };
}
