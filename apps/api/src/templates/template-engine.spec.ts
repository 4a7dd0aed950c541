import {
  MAX_RENDERED_BYTES,
  MissingVariableError,
  TemplateRenderError,
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate,
} from './template-engine';

async function render(
  source: { subject?: string; text?: string; html?: string },
  variables: Record<string, unknown> = {},
): Promise<unknown> {
  return renderTemplate(parseTemplate(source), variables);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the render to fail');
}

describe('template engine', () => {
  it('escapes variables in html only; subject and text take them as written', async () => {
    const name = `<b>Tom & "Jerry"</b>`;
    await expect(
      render(
        { subject: 'Hi {{ name }}', text: 'Hi {{ name }}', html: '<p>Hi {{ name }}</p>' },
        { name },
      ),
    ).resolves.toEqual({
      subject: `Hi ${name}`,
      text: `Hi ${name}`,
      html: '<p>Hi &lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;</p>',
    });
  });

  it('renders loops, conditions and filters over the variables', async () => {
    await expect(
      render(
        {
          text: '{% for item in items %}{{ item.name | upcase }};{% endfor %}{% if vip %}!{% endif %}',
        },
        { items: [{ name: 'a' }, { name: 'b' }], vip: true },
      ),
    ).resolves.toEqual({ text: 'A;B;!' });
  });

  it.each(['x.constructor', 'x.__proto__', 'x.toString', 'x.constructor.constructor'])(
    'gives nothing for %s: only own properties are visible',
    async (path) => {
      const error = await failure(render({ text: `{{ ${path} }}` }, { x: { y: 1 } }));
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

  it('stops a loop bomb within its allocation limit', async () => {
    const started = process.hrtime.bigint();
    const error = await failure(render({ text: '{% for i in (1..100000000) %}a{% endfor %}' }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toContain('limit');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('stops a nested loop within its render time limit', async () => {
    const error = await failure(
      render({
        text: '{% for i in (1..5000) %}{% for j in (1..5000) %}{{ i }}{% endfor %}{% endfor %}',
      }),
    );
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toContain('render limit');
  });

  it('refuses output over the cap', async () => {
    const big = 'x'.repeat(MAX_RENDERED_BYTES);
    const error = await failure(render({ text: '{{ big }}!' }, { big }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.message).toBe(`text renders to more than ${MAX_RENDERED_BYTES} bytes`);
  });

  it('names a missing variable by its path', async () => {
    const error = await failure(render({ subject: 'Order {{ order.total }}' }, { order: {} }));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect((error as MissingVariableError).variable).toBe('order.total');
  });
});
