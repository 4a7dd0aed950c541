import { decodeEncodedWords, parseMailHeaders } from './mail-headers';

describe('parseMailHeaders', () => {
  it('reads Message-ID, Subject, From and To from the header block only', () => {
    const raw = [
      'From: "Ada" <ada@example.com>',
      'To: bob@example.com,',
      ' carol@example.com',
      'Subject: Hello',
      'Message-ID: <abc-123@example.com>',
      '',
      'Subject: not a header',
    ].join('\r\n');
    expect(parseMailHeaders(raw)).toEqual({
      messageId: '<abc-123@example.com>',
      subject: 'Hello',
      from: '"Ada" <ada@example.com>',
      to: 'bob@example.com, carol@example.com',
    });
  });

  it('is case-insensitive about names, keeps the first occurrence, tolerates LF and absence', () => {
    expect(parseMailHeaders('message-id:   <x@y>\nSUBJECT: a\nSubject: b\n\nbody')).toEqual({
      messageId: '<x@y>',
      subject: 'a',
      from: undefined,
      to: undefined,
    });
  });
});

describe('decodeEncodedWords', () => {
  it.each([
    ['=?UTF-8?B?R3LDvMOfZQ==?=', 'Grüße'],
    ['=?utf-8?Q?Gr=C3=BC=C3=9Fe_dich?=', 'Grüße dich'],
    ['=?ISO-8859-1?Q?caf=E9?= au lait', 'café au lait'],
    ['=?UTF-8?Q?a?= =?UTF-8?Q?b?=', 'ab'],
    ['plain text', 'plain text'],
    ['=?x-unknown-charset?Q?abc?=', '=?x-unknown-charset?Q?abc?='],
  ])('%s → %s', (encoded, decoded) => {
    expect(decodeEncodedWords(encoded)).toBe(decoded);
  });
});
