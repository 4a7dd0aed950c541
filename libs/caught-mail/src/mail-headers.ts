// Just enough RFC 5322 header parsing for the mail catcher's list: the header block, unfolded,
// and RFC 2047 encoded-words decoded. Not a MIME parser.

export interface MailHeaders {
  readonly messageId: string | undefined;
  readonly subject: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** The value of each header field of `raw`'s header block (first occurrence), names lower-cased. */
export function headerFields(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const fields = new Map<string, string>();
  // Unfold: a line starting with whitespace continues the previous one.
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** Decodes RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`); other text is kept. */
export function decodeEncodedWords(value: string): string {
  // Whitespace between two adjacent encoded-words is not part of the text.
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          );
    const name = charset.split('*')[0]?.toLowerCase() ?? '';
    if (name === 'utf-8' || name === 'utf8' || name === 'us-ascii') return bytes.toString('utf8');
    if (name === 'iso-8859-1' || name === 'latin1') return bytes.toString('latin1');
    try {
      return new TextDecoder(name).decode(bytes);
    } catch {
      return word;
    }
  });
}

export function parseMailHeaders(raw: string): MailHeaders {
  const fields = headerFields(raw);
  const text = (name: string): string | undefined => {
    const value = fields.get(name);
    return value === undefined ? undefined : decodeEncodedWords(value);
  };
  const messageId = fields.get('message-id');
  return {
    messageId:
      messageId === undefined ? undefined : (/<[^<>\s]+>/.exec(messageId)?.[0] ?? messageId),
    subject: text('subject'),
    from: text('from'),
    to: text('to'),
  };
}
