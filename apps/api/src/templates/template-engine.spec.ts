import {
  MAX_RENDERED_BYTES,
  MissingVariableError,
  TemplateRenderError,
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate,
} from './template-engine';

function render(
  source: { subject?: string; text?: string; html?: string },
  variables: Record<string, unknown> = {},
): unknown {
  return renderTemplate(parseTemplate(source), variables);
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the render to fail');
}

describe('template engine', () => {
  it('escapes variables in html only; subject and text take them as written', () => {
    const name = `<b>Tom & "Jerry"</b>`;
    expect(
      render(
        { subject: 'Hi {{ name }}', text: 'Hi {{ name }}', html: '<p>Hi {{ name }}</p>' },
        { name },
      ),
    ).toEqual({
      subject: `Hi ${name}`,
      text: `Hi ${name}`,
      html: '<p>Hi &lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;</p>',
    });
  });

  it('renders loops, conditions and filters over the variables', () => {
    expect(
      render(
        {
          text: '{% for item in items %}{{ item.name | upcase }};{% endfor %}{% if vip %}!{% endif %}',
        },
        { items: [{ name: 'a' }, { name: 'b' }], vip: true },
      ),
    ).toEqual({ text: 'A;B;!' });
  });

  it.each(['x.constructor', 'x.__proto__', 'x.toString', 'x.constructor.constructor'])(
    'gives nothing for %s: only own properties are visible',
    (path) => {
      const error = failure(() => render({ text: `{{ ${path} }}` }, { x: { y: 1 } }));
      expect(error).toBeInstanceOf(MissingVariableError);
      // The first step that is not an own property is the one named.
      expect((error as MissingVariableError).variable).toBe(path.split('.').slice(0, 2).join('.'));
    },
  );

  it.each(['include', 'render', 'layout'])(
    'refuses {%% %s %%} when the template is saved',
    (tag) => {
      let error: unknown;
      try {
        parseTemplate({ subject: 'ok', html: `<p>{% ${tag} 'x' %}</p>` });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect(error).toMatchObject({ part: 'html' });
      expect((error as Error).message).toContain(`{% ${tag} %} is not allowed`);
    },
  );

  it('names the part whose syntax is wrong, with the parser message', () => {
    const syntaxError = (source: { subject: string; text?: string }): unknown => {
      try {
        parseTemplate(source);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(syntaxError({ subject: 'ok', text: '{% if %}' })).toMatchObject({
      part: 'text',
      message: expect.stringContaining('line:1') as unknown,
    });
    // strictFilters: a misspelt filter is a save-time error, not a send-time surprise.
    expect(syntaxError({ subject: '{{ a | upcsae }}' })).toMatchObject({
      part: 'subject',
      message: expect.stringContaining('upcsae') as unknown,
    });
  });

  it('stops a loop bomb within its allocation limit', () => {
    const started = process.hrtime.bigint();
    const error = failure(() => render({ text: '{% for i in (1..100000000) %}a{% endfor %}' }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toContain('limit');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('stops a nested loop within its render time limit', () => {
    const error = failure(() =>
      render({
        text: '{% for i in (1..5000) %}{% for j in (1..5000) %}{{ i }}{% endfor %}{% endfor %}',
      }),
    );
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toContain('render limit');
  });

  it("renders many at once without one render's time counting against another's", async () => {
    // Each takes a few ms; rendered concurrently (a batch), together they take far more than the limit.
    const parsed = parseTemplate({
      text: '{% for i in (1..2000) %}{{ i | plus: n }},{% endfor %}',
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) =>
        Promise.resolve().then(() => renderTemplate(parsed, { n })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
  });

  it('refuses output over the cap', () => {
    const big = 'x'.repeat(MAX_RENDERED_BYTES);
    const error = failure(() => render({ text: '{{ big }}!' }, { big }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toContain(`renders to more than ${MAX_RENDERED_BYTES} characters`);
  });

  it.each([
    ['a loop over a large literal', (big: string) => `{% for i in (1..2000) %}${big}{% endfor %}`],
    [
      'a capture of one',
      (big: string) =>
        `{% capture x %}{% for i in (1..2000) %}${big}{% endfor %}{% endcapture %}{{ x | size }}`,
    ],
  ])(
    'stops %s as it writes, before it builds a huge string (CPU time, not wall time)',
    (_, source) => {
      const big = 'x'.repeat(250 * 1024);
      const started = process.cpuUsage();
      const error = failure(() => render({ html: source(big) }));
      const used = process.cpuUsage(started);
      expect(error).toBeInstanceOf(TemplateRenderError);
      // Building the 500 MB string and measuring it took ~1.5 s here; stopping at the cap, a few ms.
      expect((used.user + used.system) / 1000).toBeLessThan(300);
    },
  );

  it('names a missing variable by its path', () => {
    const error = failure(() => render({ subject: 'Order {{ order.total }}' }, { order: {} }));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect((error as MissingVariableError).variable).toBe('order.total');
  });
});
