import { splitAddresses, splitTags } from '../../format';
import { type WindowDraft, windowRequest } from '../../zones';
import type { components } from '../../api-schema';

/**
 * The form's fields: the properties of the api's schedule request, each as the text typed. `sendAt` and
 * `expiresAt` are wall-clock times in `timeZone`; the delivery window has an editor of its own.
 */
/** The parts typed as text; the window, attachments, headers, metadata and template have editors of their own. */
export type Field = Exclude<
  keyof components['schemas']['ScheduleEmailDto'],
  'deliveryWindow' | 'attachments' | 'headers' | 'metadata' | 'template' | 'replyTo'
>;
export type ComposeValues = Readonly<Record<Field, string>>;

/**
 * The body of `POST /v1/emails` from the form: empty optional fields are left out. `sendAt` and `expiresAt`
 * go as the wall-clock times typed, with `timeZone`: the api resolves them there (docs/TIME.md).
 */
export function scheduleRequest(
  values: ComposeValues,
  window: WindowDraft,
): Record<string, unknown> {
  const list = (value: string): string[] | undefined =>
    value.trim() === '' ? undefined : splitAddresses(value);
  const { maxAttempts } = values;
  return {
    from: values.from.trim(),
    to: list(values.to) ?? [],
    cc: list(values.cc),
    bcc: list(values.bcc),
    subject: values.subject,
    text: values.text === '' ? undefined : values.text,
    html: values.html === '' ? undefined : values.html,
    sendAt: values.sendAt,
    timeZone: values.timeZone,
    deliveryWindow: windowRequest(window, values.timeZone),
    expiresAt: values.expiresAt === '' ? undefined : values.expiresAt,
    tags: splitTags(values.tags),
    maxAttempts: maxAttempts === '' ? undefined : Number(maxAttempts),
  };
}
