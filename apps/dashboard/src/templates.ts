// What the Templates pages work out without the api: the content typed as a request, and which version a
// new one starts from.
import type { TemplateContent, TemplateDetail, TemplateVersion } from './types';

/** A version's subject and bodies as typed. */
export interface ContentValues {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const BLANK_CONTENT: ContentValues = { subject: '', text: '', html: '' };

export function contentValues(
  version: Pick<TemplateVersion, 'subject' | 'text' | 'html'>,
): ContentValues {
  return { subject: version.subject, text: version.text ?? '', html: version.html ?? '' };
}

/** A new template's or version's content: a body left empty is no body. */
export function contentRequest(values: ContentValues): TemplateContent {
  return {
    subject: values.subject,
    ...(values.text === '' ? {} : { text: values.text }),
    ...(values.html === '' ? {} : { html: values.html }),
  };
}

/** A draft's edit, a merge patch like the email's: a body emptied is removed (null), not kept. */
export function draftEditRequest(values: ContentValues): TemplateContent {
  return {
    subject: values.subject,
    text: values.text === '' ? null : values.text,
    html: values.html === '' ? null : values.html,
  };
}

/** The highest version: a new version starts as a copy of it. */
export function latestVersion(
  template: Pick<TemplateDetail, 'versions'>,
): TemplateVersion | undefined {
  return template.versions.reduce<TemplateVersion | undefined>(
    (latest, version) =>
      latest === undefined || version.version > latest.version ? version : latest,
    undefined,
  );
}

/** The published version scheduling uses when none is named: the highest published one. */
export function latestPublished(
  template: Pick<TemplateDetail, 'versions'>,
): TemplateVersion | undefined {
  return latestVersion({ versions: template.versions.filter((v) => v.status === 'published') });
}
