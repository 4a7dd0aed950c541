// The one place Liquid is configured (docs/adr/0010-templates-liquid.md). Subject and text render as written;
// html escapes every output, so a variable can never add markup. Templates see only the variables' own
// properties, read no files, and are bounded in source size, render time, allocation and output size.

import {
  Liquid,
  Tag,
  toValue,
  type Context,
  type Emitter,
  type FS,
  type TagToken,
  type Template,
  type TopLevelToken,
} from 'liquidjs';

export const TEMPLATE_PARTS = ['subject', 'text', 'html'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Source caps, in characters: a subject is one line; bodies as large as the domain's body limit allows. */
export const MAX_TEMPLATE_SOURCE: Readonly<Record<TemplatePart, number>> = {
  subject: 2000,
  text: 256 * 1024,
  html: 256 * 1024,
};
/** Wall-clock budget of one part's render. */
export const RENDER_LIMIT_MS = 100;
/** Liquid's own count of what ranges, arrays and strings a render may allocate. */
export const RENDER_MEMORY_LIMIT = 1_000_000;
/** UTF-8 bytes one rendered part may hold; the domain's body and subject limits then apply as to any email. */
export const MAX_RENDERED_BYTES = 512 * 1024;
/**
 * Characters one part's render may write, counted as they are written (captures included): a loop over a
 * large literal builds hundreds of MB in milliseconds, too fast for renderLimit, and only flattening that
 * string to measure it afterwards would take seconds of the api's one thread.
 */
export const MAX_EMITTED_CHARACTERS = MAX_RENDERED_BYTES;

/** Source that does not parse; `part` names the field at fault. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly part: TemplatePart,
    message: string,
  ) {
    super(message);
  }
}

/** A variable the template reads that the caller did not give, by its path (`order.total`). */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`is used by the template but was not given`);
  }
}

/** Anything else that stops a render: a limit, output too large, a filter's error. */
export class TemplateRenderError extends Error {}

/** No file is ever read: include, render and layout are refused at parse, and this finds nothing anyway. */
const NO_FILES: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: () => Promise.reject(new Error('templates cannot read files')),
  readFileSync: () => {
    throw new Error('templates cannot read files');
  },
  resolve: (_dir, file) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

/** Refused where it is parsed, so no template that uses it is ever saved. */
class RefusedTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`{% ${token.name} %} is not allowed: a template cannot use other files`);
  }

  render(): never {
    throw new Error(`{% ${this.name} %} is refused at parse`);
  }
}

/** What each render has written so far, by its Context (one per part rendered). */
const emitted = new WeakMap<Context, number>();

/** Liquid's default emitter, but refusing to write past MAX_EMITTED_CHARACTERS in one render. */
class BoundedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly ctx: Context) {}

  write(html: unknown): void {
    const text = stringify(html);
    const total = (emitted.get(this.ctx) ?? 0) + text.length;
    if (total > MAX_EMITTED_CHARACTERS) {
      throw new TemplateRenderError(`renders to more than ${MAX_EMITTED_CHARACTERS} characters`);
    }
    emitted.set(this.ctx, total);
    this.buffer += text;
  }
}

/** As Liquid's SimpleEmitter turns an output into text. */
function stringify(value: unknown): string {
  const plainValue: unknown = toValue(value);
  if (typeof plainValue === 'string') return plainValue;
  if (plainValue === null || plainValue === undefined) return '';
  if (Array.isArray(plainValue)) return plainValue.map(stringify).join('');
  // Liquid's own rule for any other value (a Date prints as one), which this emitter must not change.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(plainValue);
}

function engine(escapeHtml: boolean): Liquid {
  const liquid = new Liquid({
    fs: NO_FILES,
    relativeReference: false,
    dynamicPartials: false,
    ownPropertyOnly: true,
    strictVariables: true,
    strictFilters: true,
    cache: false,
    parseLimit: Math.max(...Object.values(MAX_TEMPLATE_SOURCE)),
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: RENDER_MEMORY_LIMIT,
    ...(escapeHtml ? { outputEscape: 'escape' as const } : {}),
  });
  for (const name of ['include', 'render', 'layout']) liquid.registerTag(name, RefusedTag);
  // Every render without an emitter of its own (the template's, a capture's) gets a bounded one.
  const renderer = liquid.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = (templates, ctx, emitter) =>
    renderTemplates(templates, ctx, emitter ?? new BoundedEmitter(ctx));
  return liquid;
}

const plain = engine(false);
const html = engine(true);

function engineFor(part: TemplatePart): Liquid {
  return part === 'html' ? html : plain;
}

/** A version's parts, parsed. */
export type ParsedTemplate = Partial<Record<TemplatePart, Template[]>>;

/** Parses each part given; the first that fails names its field. */
export function parseTemplate(source: Partial<Record<TemplatePart, string>>): ParsedTemplate {
  const parsed: ParsedTemplate = {};
  for (const part of TEMPLATE_PARTS) {
    const text = source[part];
    if (text === undefined) continue;
    if (text.length > MAX_TEMPLATE_SOURCE[part]) {
      throw new TemplateSyntaxError(
        part,
        `must be at most ${MAX_TEMPLATE_SOURCE[part]} characters`,
      );
    }
    try {
      parsed[part] = engineFor(part).parse(text);
    } catch (error) {
      throw new TemplateSyntaxError(part, error instanceof Error ? error.message : String(error));
    }
  }
  return parsed;
}

export type Rendered = Partial<Record<TemplatePart, string>>;

/**
 * Renders every parsed part with the same variables. Synchronously: renderLimit is wall-clock time, and an
 * async render interleaved with a batch's others would count their time as its own (nothing a template can
 * do needs I/O, so there is nothing to wait for).
 */
export function renderTemplate(
  parsed: ParsedTemplate,
  variables: Readonly<Record<string, unknown>>,
): Rendered {
  const rendered: Rendered = {};
  for (const part of TEMPLATE_PARTS) {
    const templates = parsed[part];
    if (templates === undefined) continue;
    let output: unknown;
    try {
      output = engineFor(part).renderSync(templates, variables);
    } catch (error) {
      throw renderFailure(error);
    }
    const text = String(output);
    if (Buffer.byteLength(text, 'utf8') > MAX_RENDERED_BYTES) {
      throw new TemplateRenderError(`${part} renders to more than ${MAX_RENDERED_BYTES} bytes`);
    }
    rendered[part] = text;
  }
  return rendered;
}

/** strictVariables reports `undefined variable: order.total, line:1, col:4`; the path is what a caller fixes. */
const UNDEFINED_VARIABLE = /^undefined variable: ([^,]+)/;

function renderFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const missing = UNDEFINED_VARIABLE.exec(message)?.[1];
  if (missing !== undefined) return new MissingVariableError(missing);
  return new TemplateRenderError(message);
}
