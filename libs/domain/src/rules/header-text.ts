// Everything that ends up in a mail header (addresses, display names, subject, tags) is checked here. A CR or
// LF smuggled into a header lets the sender append headers of their choosing (Bcc:, a second body); C1 controls,
// U+2028 and U+2029 are line breaks to some parsers and renderers. Rejecting them beats escaping them: an
// escaped value is still not what the user meant to send.

function unicodeNotation(codeUnit: number): string {
  return `U+${codeUnit.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isHighSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xd800 && codeUnit <= 0xdbff;
}

function isLowSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xdc00 && codeUnit <= 0xdfff;
}

function isHeaderBreaking(codeUnit: number): boolean {
  return (
    codeUnit <= 0x1f || // C0, including CR, LF, TAB and NUL
    (codeUnit >= 0x7f && codeUnit <= 0x9f) || // DEL and C1, including NEL (U+0085)
    codeUnit === 0x2028 ||
    codeUnit === 0x2029
  );
}

/**
 * An unpaired surrogate is not text: it cannot be encoded as UTF-8 and Postgres refuses it inside jsonb, so
 * an event carrying one could never be stored.
 */
function unpairedSurrogateAt(value: string, index: number): boolean {
  const unit = value.charCodeAt(index);
  if (isHighSurrogate(unit)) return !isLowSurrogate(value.charCodeAt(index + 1));
  if (isLowSurrogate(unit)) return !isHighSurrogate(value.charCodeAt(index - 1));
  return false;
}

/** Why `value` may not go into a header, or undefined when it may. */
export function headerTextProblem(value: string): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (isHeaderBreaking(unit))
      return `must not contain control or line-break characters (found ${unicodeNotation(unit)})`;
    if (unpairedSurrogateAt(value, index))
      return 'must be valid Unicode text (found an unpaired surrogate)';
  }
  return undefined;
}

/**
 * Bodies may hold line breaks, but not what storage or transport cannot carry: NUL (refused by Postgres text
 * and jsonb) and unpaired surrogates.
 */
export function bodyTextProblem(value: string): string | undefined {
  for (let index = 0; index < value.length; index++) {
    if (value.charCodeAt(index) === 0) return 'must not contain NUL characters';
    if (unpairedSurrogateAt(value, index))
      return 'must be valid Unicode text (found an unpaired surrogate)';
  }
  return undefined;
}
