// Text a relay or the network sent us (an SMTP reply, an error message) goes into events that are stored and
// replayed forever, so it is hostile input: a NUL that jsonb refuses, a lone surrogate that no JSON store
// takes, control characters that rewrite a log line or a terminal, or a reply of megabytes.

/** Code points kept of a relay's text: room for any real SMTP reply with its enhanced status code. */
export const MAX_RELAY_TEXT_CODE_POINTS = 1_000;

const REPLACEMENT = '\uFFFD';

/**
 * The text as safe, bounded, well-formed Unicode: lone surrogates become U+FFFD, C0 and C1 controls and
 * DEL become spaces (line breaks of a multi-line reply included), runs of spaces collapse, and the result is
 * cut to `max` code points (never in the middle of a surrogate pair), ending in '…' when cut.
 */
export function sanitizeRelayText(text: string, max = MAX_RELAY_TEXT_CODE_POINTS): string {
  let out = '';
  let kept = 0;
  let cut = false;
  // Iterating a string yields code points; a lone surrogate comes out alone.
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    let safe = char;
    if (code >= 0xd800 && code <= 0xdfff) safe = REPLACEMENT;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) safe = ' ';
    if (safe === ' ' && (out.endsWith(' ') || out === '')) continue;
    if (kept === max) {
      cut = true;
      break;
    }
    out += safe;
    kept += 1;
  }
  out = out.trimEnd();
  return cut ? `${[...out].slice(0, max - 1).join('')}…` : out;
}
