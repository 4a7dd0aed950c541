import { splitAddresses } from '../../format';
import type { ComposeValues } from './compose-form';

/** The body of `POST /v1/emails` from the form: empty optional fields are left out. */
export function scheduleRequest(values: ComposeValues, sendAt: string): Record<string, unknown> {
  const list = (value: string): string[] | undefined =>
    value.trim() === '' ? undefined : splitAddresses(value);
  const { tags, maxAttempts } = values;
  return {
    from: values.from.trim(),
    to: list(values.to) ?? [],
    cc: list(values.cc),
    bcc: list(values.bcc),
    subject: values.subject,
    text: values.text === '' ? undefined : values.text,
    html: values.html === '' ? undefined : values.html,
    sendAt,
    tags:
      tags.trim() === ''
        ? undefined
        : tags
            .split(',')
            .map((tag) => tag.trim())
            .filter((tag) => tag !== ''),
    maxAttempts: maxAttempts === '' ? undefined : Number(maxAttempts),
  };
}
