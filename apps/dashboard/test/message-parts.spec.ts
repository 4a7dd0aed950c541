import { currentBodies, contentChanges, contentDraft } from '../src/content-edit';
import {
  MAX_ATTACHMENTS,
  MAX_ATTACHMENTS_BYTES,
  admitFiles,
  attachmentIssues,
  attachmentsRequest,
  bytesToBase64,
  duplicateKeys,
  objectToRows,
  partIssues,
  rowIssues,
  rowsToObject,
  switchVariablesMode,
  totalBytes,
  variablesOf,
  withInline,
} from '../src/message-parts';
import { issueHome, scheduleRequest, templateUse } from '../src/pages/compose/schedule-request';
import { contentRequest, draftEditRequest, latestPublished, latestVersion } from '../src/templates';
import type { EmailView, TemplateVersion } from '../src/types';
import { defaultWindow } from '../src/zones';

const MB = 1024 * 1024;

describe('key/value rows', () => {
  it('become an object without the blank rows, and no rows are no part', () => {
    expect(
      rowsToObject([
        { key: ' X-Campaign ', value: 'spring' },
        { key: '', value: '' },
        { key: 'X-Empty', value: '' },
      ]),
    ).toEqual({ 'X-Campaign': 'spring', 'X-Empty': '' });
    expect(rowsToObject([{ key: '', value: '' }])).toBeUndefined();
    expect(rowsToObject([])).toBeUndefined();
  });

  it('come back from an object, values that are not text as JSON', () => {
    expect(objectToRows({ plan: 'pro', seats: 3 })).toEqual([
      { key: 'plan', value: 'pro' },
      { key: 'seats', value: '3' },
    ]);
    expect(objectToRows(undefined)).toEqual([]);
  });

  it('name a key typed twice instead of keeping the last', () => {
    expect(
      duplicateKeys([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a ', value: '3' },
      ]),
    ).toEqual(['a']);
  });
});

describe("the api's issues about the parts", () => {
  const issues = [
    { field: 'headers.X-Foo', reason: 'must not hold a line break' },
    { field: 'headers', reason: 'must hold at most 20 headers' },
    { field: 'headers.From', reason: 'is set by the service' },
    { field: 'attachments[1].filename', reason: 'must not hold /' },
    { field: 'attachments[10].content', reason: 'is not base64' },
    { field: 'template.variables.name', reason: 'is missing' },
    { field: 'to[0]', reason: 'is not an address' },
    { field: 'body', reason: 'too large' },
  ];
  const fields = ['from', 'to', 'replyTo', 'subject'];

  it('go home by the part they name', () => {
    expect(issues.map((issue) => issueHome(issue, fields, false))).toEqual([
      'headers',
      'headers',
      'headers',
      'attachments',
      'attachments',
      'template',
      'to',
      'other',
    ]);
    expect(issueHome({ field: 'replyTo[1]', reason: 'x' }, fields, false)).toBe('replyTo');
  });

  it('about the subject and bodies go to the template when there is one: those fields are hidden', () => {
    const subject = { field: 'subject', reason: 'must be at most 998 characters' };
    expect(issueHome(subject, fields, false)).toBe('subject');
    expect(issueHome(subject, fields, true)).toBe('template');
    expect(issueHome({ field: 'html', reason: 'x' }, [...fields, 'html'], true)).toBe('template');
    expect(issueHome({ field: 'to[0]', reason: 'x' }, fields, true)).toBe('to');
  });

  it('go to the row of their key, the rest to the part', () => {
    expect(rowIssues(issues, 'headers', 'X-Foo ')).toEqual([issues[0]]);
    expect(rowIssues(issues, 'headers', '')).toEqual([]);
    expect(rowIssues(issues, 'template.variables', 'name')).toEqual([issues[5]]);
    // `From` has no row (it was typed differently, or removed): shown with the part.
    expect(partIssues(issues, 'headers', ['X-Foo'])).toEqual([issues[1], issues[2]]);
  });

  it('go to their attachment by index, [1] never taking [10]’s', () => {
    expect(attachmentIssues(issues, 1)).toEqual([issues[3]]);
    expect(attachmentIssues(issues, 10)).toEqual([issues[4]]);
    expect(attachmentIssues(issues, 0)).toEqual([]);
  });
});

describe('attachments', () => {
  it('are read as base64, a large file in chunks', () => {
    expect(bytesToBase64(new TextEncoder().encode('hello'))).toBe('aGVsbG8=');
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('are refused locally past 10 MB in all or 20 files, before their bytes are read', () => {
    const current = [{ size: 6 * MB }];
    const { admitted, refused } = admitFiles(current, [
      { name: 'a.pdf', size: 3 * MB },
      { name: 'b.pdf', size: 2 * MB },
      { name: 'c.txt', size: MB },
    ]);
    expect(admitted.map((file) => file.name)).toEqual(['a.pdf', 'c.txt']);
    expect(refused).toEqual(['b.pdf (2.0 MB): the attachments would pass 10.0 MB in all']);
    expect(totalBytes([...current, ...admitted])).toBe(MAX_ATTACHMENTS_BYTES);

    const many = Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => ({ name: `${i}`, size: 1 }));
    const capped = admitFiles([], many);
    expect(capped.admitted).toHaveLength(MAX_ATTACHMENTS);
    expect(capped.refused).toEqual([`${MAX_ATTACHMENTS}: at most ${MAX_ATTACHMENTS} files`]);
  });

  it('made inline get a content id of their own, and lose it again', () => {
    const file = { filename: 'logo.png', contentType: 'image/png', size: 3, content: 'AAAA' };
    const inline = withInline(withInline([file, { ...file }], 0, true), 1, true);
    expect(inline.map((a) => a.contentId)).toEqual(['logo.png', 'logo.png.2']);
    expect(withInline(inline, 0, false)[0]).toEqual(file);
    expect(withInline([{ ...file, filename: 'my logo (1).png' }], 0, true)[0]?.contentId).toBe(
      'my_logo__1_.png',
    );
  });

  it('go to the api without an empty content type, and none is no part', () => {
    expect(
      attachmentsRequest([
        { filename: 'a.bin', contentType: '', size: 1, content: 'AA==' },
        { filename: 'l.png', contentType: 'image/png', size: 1, content: 'AA==', contentId: 'l' },
      ]),
    ).toEqual([
      { filename: 'a.bin', content: 'AA==' },
      { filename: 'l.png', content: 'AA==', contentType: 'image/png', contentId: 'l' },
    ]);
    expect(attachmentsRequest([])).toBeUndefined();
  });
});

describe('template variables', () => {
  it('are rows of text or a JSON object, and JSON that is not an object is named', () => {
    expect(variablesOf({ mode: 'rows', rows: [{ key: 'name', value: 'Ada' }] })).toEqual({
      variables: { name: 'Ada' },
    });
    expect(variablesOf({ mode: 'json', json: '{"items": [1, 2]}' })).toEqual({
      variables: { items: [1, 2] },
    });
    expect(variablesOf({ mode: 'json', json: '' })).toEqual({ variables: {} });
    for (const json of ['[1]', '{', '"x"', 'null'])
      expect(variablesOf({ mode: 'json', json })).toEqual({
        issue: { field: 'template.variables', reason: 'must be a JSON object' },
      });
  });

  it('switch between rows and JSON, never from JSON that does not parse', () => {
    const rows = { mode: 'rows', rows: [{ key: 'name', value: 'Ada' }] } as const;
    const json = switchVariablesMode(rows);
    expect(json).toEqual({ mode: 'json', json: '{\n  "name": "Ada"\n}' });
    expect(switchVariablesMode(json)).toEqual(rows);
    const broken = { mode: 'json', json: '{' } as const;
    expect(switchVariablesMode(broken)).toBe(broken);
  });

  it('go with the template, its version only when one is chosen', () => {
    const variables = { mode: 'rows', rows: [{ key: 'name', value: 'Ada' }] } as const;
    expect(templateUse({ id: '', version: '', variables })).toEqual({});
    expect(templateUse({ id: 't1', version: '', variables })).toEqual({
      use: { id: 't1', variables: { name: 'Ada' } },
    });
    expect(templateUse({ id: 't1', version: '3', variables })).toEqual({
      use: { id: 't1', version: 3, variables: { name: 'Ada' } },
    });
    expect(templateUse({ id: 't1', version: '', variables: { mode: 'json', json: '[' } })).toEqual({
      issue: { field: 'template.variables', reason: 'must be a JSON object' },
    });
  });
});

describe('the schedule request with the new parts', () => {
  const values = {
    from: 'ada@example.com',
    to: 'bob@example.com',
    cc: '',
    bcc: '',
    replyTo: 'help@example.com, Desk <desk@example.com>',
    subject: 'Typed',
    text: 'typed text',
    html: '',
    sendAt: '2030-01-01T09:00',
    timeZone: 'Europe/Paris',
    expiresAt: '',
    tags: '',
    maxAttempts: '',
  };
  const window = defaultWindow();

  it('sends reply-to, headers, metadata and attachments, leaving out the empty ones', () => {
    const body = scheduleRequest(values, window, {
      headers: [{ key: 'X-Campaign', value: 'spring' }],
      metadata: [],
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', size: 1, content: 'YQ==' }],
    });
    expect(body).toMatchObject({
      replyTo: ['help@example.com', 'Desk <desk@example.com>'],
      subject: 'Typed',
      text: 'typed text',
      headers: { 'X-Campaign': 'spring' },
      attachments: [{ filename: 'a.txt', content: 'YQ==', contentType: 'text/plain' }],
    });
    expect(body.metadata).toBeUndefined();
    expect(body.template).toBeUndefined();
    expect(
      scheduleRequest({ ...values, replyTo: ' ' }, window, {
        headers: [],
        metadata: [],
        attachments: [],
      }).replyTo,
    ).toBeUndefined();
  });

  it('with a template, sends it instead of the typed subject and bodies', () => {
    const body = scheduleRequest(values, window, {
      headers: [],
      metadata: [{ key: 'plan', value: 'pro' }],
      attachments: [],
      template: { id: 't1', variables: { name: 'Ada' } },
    });
    expect(body.template).toEqual({ id: 't1', variables: { name: 'Ada' } });
    expect(body.metadata).toEqual({ plan: 'pro' });
    for (const field of ['subject', 'text', 'html']) expect(body).not.toHaveProperty(field);
  });
});

describe('editing content', () => {
  const email = {
    subject: 'Hello',
    to: [{ address: 'bob@example.com' }],
    cc: [{ address: 'carol@example.com', name: 'Carol' }],
    bcc: [],
    replyTo: [{ address: 'help@example.com' }],
    metadata: { plan: 'pro' },
  } as unknown as EmailView;
  const before = contentDraft(email, { text: 'Hi', html: '<p>Hi</p>' });

  it('starts from the email as it now is', () => {
    expect(before).toEqual({
      subject: 'Hello',
      text: 'Hi',
      html: '<p>Hi</p>',
      to: 'bob@example.com',
      cc: 'Carol <carol@example.com>',
      bcc: '',
      replyTo: 'help@example.com',
      metadata: [{ key: 'plan', value: 'pro' }],
    });
  });

  it('patches only what changed, an emptied part as null', () => {
    expect(contentChanges(before, before)).toEqual({});
    expect(contentChanges(before, { ...before, subject: 'New', html: '', cc: ' ' })).toEqual({
      subject: 'New',
      html: null,
      cc: null,
    });
    expect(
      contentChanges(before, {
        ...before,
        to: 'bob@example.com, dan@example.com',
        metadata: [...before.metadata, { key: 'seats', value: '3' }],
      }),
    ).toEqual({
      to: ['bob@example.com', 'dan@example.com'],
      metadata: { plan: 'pro', seats: '3' },
    });
    expect(contentChanges(before, { ...before, metadata: [] })).toEqual({ metadata: null });
    // `to` is required: emptied, it goes as an empty list for the api to refuse by name.
    expect(contentChanges(before, { ...before, to: '' })).toEqual({ to: [] });
  });

  it('reads the bodies from the history: scheduled, then each edit', () => {
    const events = [
      { type: 'EmailScheduled', data: { text: 'one', html: '<p>one</p>' } },
      { type: 'EmailContentEdited', data: { changes: { text: 'two' } } },
      { type: 'EmailPaused', data: {} },
      { type: 'EmailContentEdited', data: { changes: {}, removed: ['html'] } },
    ];
    expect(currentBodies(events.slice(0, 1))).toEqual({ text: 'one', html: '<p>one</p>' });
    expect(currentBodies(events.slice(0, 2))).toEqual({ text: 'two', html: '<p>one</p>' });
    expect(currentBodies(events)).toEqual({ text: 'two' });
  });
});

describe('template versions', () => {
  const version = (n: number, status: TemplateVersion['status']): TemplateVersion => ({
    templateId: 't',
    version: n,
    status,
    subject: `v${n}`,
    text: null,
    html: null,
    createdAt: '2030-01-01T00:00:00Z',
    publishedAt: null,
  });

  it('find the latest, and the latest published that scheduling uses by default', () => {
    const versions = [version(2, 'published'), version(3, 'draft'), version(1, 'published')];
    expect(latestVersion({ versions })?.version).toBe(3);
    expect(latestPublished({ versions })?.version).toBe(2);
    expect(latestPublished({ versions: [version(1, 'draft')] })).toBeUndefined();
  });

  it('send a new version without empty bodies, and a draft edit with them removed', () => {
    expect(contentRequest({ subject: 'Hi {{ name }}', text: '', html: '<p>x</p>' })).toEqual({
      subject: 'Hi {{ name }}',
      html: '<p>x</p>',
    });
    expect(draftEditRequest({ subject: 'Hi', text: '', html: '<p>x</p>' })).toEqual({
      subject: 'Hi',
      text: null,
      html: '<p>x</p>',
    });
  });
});
