import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { TemplateRef } from '@app/domain';
import { validationFailed, type FieldIssue } from '../common/validation';
import {
  MissingVariableError,
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate,
  type ParsedTemplate,
  type Rendered,
} from './template-engine';
import { TemplatesRepository, type VersionRow } from './templates.repository';

/** `template` of a request as it came in: checked here. */
export interface TemplateUse {
  readonly id?: unknown;
  readonly version?: unknown;
  readonly variables?: unknown;
}

/** An email's content rendered from a template, and the pin it keeps: which version, with which variables. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly template: TemplateRef;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Parsed published versions kept; they never change, so an entry is never stale. */
const PARSED_CACHE_SIZE = 500;

/**
 * Renders a tenant's published template versions for scheduling: every way in (a request, a batch item, a CSV
 * row, a content edit re-rendering new variables) gets the same answers. Refusals: 400 naming
 * `template.id`, `template.version` or `template.variables.<path>`; 422 for a render that fails otherwise
 * (a limit, output too large). Nothing fails later, at send time: what is stored is the rendered text.
 */
@Injectable()
export class TemplateRendering {
  private readonly parsed = new Map<string, ParsedTemplate>();

  constructor(private readonly templates: TemplatesRepository) {}

  /** One email's content; `version` absent is the latest published one. */
  async render(tenantId: string, use: TemplateUse): Promise<RenderedEmail> {
    const [outcome] = await this.renderMany(tenantId, [use]);
    if (outcome === undefined) throw new Error('no rendering for the template');
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /** Many at once (a batch, an import), reading each template version once; failures are outcomes. */
  async renderMany(
    tenantId: string,
    uses: readonly TemplateUse[],
  ): Promise<(RenderedEmail | Error)[]> {
    const versions = new Map<string, Promise<VersionRow | Error>>();
    return Promise.all(
      uses.map(async (use) => {
        try {
          const { id, version, variables } = checkUse(use);
          const key = `${id}:${version ?? 'latest'}`;
          let row = versions.get(key);
          if (row === undefined) {
            row = this.publishedVersion(tenantId, id, version).catch((error: Error) => error);
            versions.set(key, row);
          }
          const found = await row;
          if (found instanceof Error) throw found;
          const rendered = render(this.parsedOf(found), variables);
          return {
            ...partsOf(rendered),
            template: { id, version: found.version, variables },
          };
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /** Any version, drafts too, for `POST /v1/templates/:id/preview`; never cached, as drafts change. */
  preview(
    version: VersionRow,
    variables: Readonly<Record<string, unknown>>,
  ): Rendered & { subject: string } {
    return partsOf(render(parseSaved(version), variables));
  }

  private async publishedVersion(
    tenantId: string,
    templateId: string,
    version: number | undefined,
  ): Promise<VersionRow> {
    if (version === undefined) {
      const latest = await this.templates.latestPublished(tenantId, templateId);
      if (latest === undefined) {
        throw validationFailed([
          { field: 'template.id', reason: 'must be a template with a published version' },
        ]);
      }
      return latest;
    }
    const row = await this.templates.version(tenantId, templateId, version);
    if (row === undefined && (await this.templates.get(tenantId, templateId)) === undefined) {
      throw validationFailed([{ field: 'template.id', reason: 'no such template' }]);
    }
    if (row?.status !== 'published') {
      throw validationFailed([
        { field: 'template.version', reason: 'must be a published version of the template' },
      ]);
    }
    return row;
  }

  private parsedOf(row: VersionRow): ParsedTemplate {
    const key = `${row.template_id}:${row.version}`;
    const cached = this.parsed.get(key);
    if (cached) return cached;
    const parsed = parseSaved(row);
    if (this.parsed.size >= PARSED_CACHE_SIZE) {
      const oldest = this.parsed.keys().next();
      if (!oldest.done) this.parsed.delete(oldest.value);
    }
    this.parsed.set(key, parsed);
    return parsed;
  }
}

/** Checks a version's parts as they are saved: 400 naming the part, with the parser's message. */
export function checkTemplateSyntax(source: {
  subject: string;
  text: string | null;
  html: string | null;
}): void {
  if (source.text === null && source.html === null) {
    throw validationFailed([{ field: 'text', reason: 'text or html is required' }]);
  }
  try {
    parseTemplate(sourceParts(source));
  } catch (error) {
    if (error instanceof TemplateSyntaxError) {
      throw validationFailed([{ field: error.part, reason: error.message }]);
    }
    throw error;
  }
}

function sourceParts(source: {
  subject: string;
  text: string | null;
  html: string | null;
}): Partial<Record<'subject' | 'text' | 'html', string>> {
  return {
    subject: source.subject,
    ...(source.text === null ? {} : { text: source.text }),
    ...(source.html === null ? {} : { html: source.html }),
  };
}

/** A saved version parsed once more: it parsed when saved, so a failure now is the engine's, not the caller's. */
function parseSaved(row: VersionRow): ParsedTemplate {
  return parseTemplate(sourceParts(row));
}

function checkUse(use: TemplateUse): {
  id: string;
  version: number | undefined;
  variables: Readonly<Record<string, unknown>>;
} {
  const issues: FieldIssue[] = [];
  const { id, version, variables = {} } = use;
  if (typeof id !== 'string' || !UUID.test(id)) {
    issues.push({ field: 'template.id', reason: 'must be a template id (a UUID)' });
  }
  if (
    version !== undefined &&
    (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
  ) {
    issues.push({ field: 'template.version', reason: 'must be a version number from 1' });
  }
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    issues.push({ field: 'template.variables', reason: 'must be an object' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return {
    id: (id as string).toLowerCase(),
    version: version as number | undefined,
    variables: variables as Readonly<Record<string, unknown>>,
  };
}

function render(parsed: ParsedTemplate, variables: Readonly<Record<string, unknown>>): Rendered {
  try {
    return renderTemplate(parsed, variables);
  } catch (error) {
    if (error instanceof MissingVariableError) {
      throw validationFailed([
        { field: `template.variables.${error.variable}`, reason: error.message },
      ]);
    }
    throw new UnprocessableEntityException(
      `the template does not render: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function partsOf(rendered: Rendered): Rendered & { subject: string } {
  return { ...rendered, subject: rendered.subject ?? '' };
}
