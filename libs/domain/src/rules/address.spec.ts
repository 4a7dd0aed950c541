import { parseAddress, type AddressInput } from './address';

describe('parseAddress', () => {
  describe('accepts', () => {
    it.each<[string, AddressInput, { address: string; name?: string }]>([
      ['a bare address', 'jane@example.com', { address: 'jane@example.com' }],
      ['surrounding spaces', '  jane@example.com  ', { address: 'jane@example.com' }],
      [
        'and lowercases the domain only',
        'Jane.Doe@Example.COM',
        { address: 'Jane.Doe@example.com' },
      ],
      [
        '"Name <address>"',
        'Jane Doe <jane@example.com>',
        { address: 'jane@example.com', name: 'Jane Doe' },
      ],
      [
        'a name hugging the bracket',
        'Jane<jane@example.com>',
        { address: 'jane@example.com', name: 'Jane' },
      ],
      [
        'spaces inside the brackets',
        'Jane < jane@example.com >',
        { address: 'jane@example.com', name: 'Jane' },
      ],
      ['a bracketed address without a name', '<jane@example.com>', { address: 'jane@example.com' }],
      [
        'a quoted name holding a comma',
        '"Doe, Jane" <jane@example.com>',
        { address: 'jane@example.com', name: 'Doe, Jane' },
      ],
      [
        'a quoted name holding specials',
        '"Jane (Ops) @ HQ" <j@example.com>',
        { address: 'j@example.com', name: 'Jane (Ops) @ HQ' },
      ],
      ['an empty quoted name as no name', '"" <jane@example.com>', { address: 'jane@example.com' }],
      [
        'a dotted unquoted name',
        'John Q. Public <jq@example.com>',
        { address: 'jq@example.com', name: 'John Q. Public' },
      ],
      [
        'a non-ASCII display name',
        'Zoë Ångström <zoe@example.com>',
        { address: 'zoe@example.com', name: 'Zoë Ångström' },
      ],
      [
        'every atext character in the local part',
        "!#$%&'*+-/=?^_`{|}~@example.com",
        { address: "!#$%&'*+-/=?^_`{|}~@example.com" },
      ],
      [
        'plus addressing and subdomains',
        'user+tag@mail.sub.example.co.uk',
        { address: 'user+tag@mail.sub.example.co.uk' },
      ],
      [
        'a punycode domain',
        'info@xn--bcher-kva.example',
        { address: 'info@xn--bcher-kva.example' },
      ],
      [
        'hyphens inside labels',
        'a@my-host.example-tld.com',
        { address: 'a@my-host.example-tld.com' },
      ],
      [
        'a numeric label that is not the TLD',
        'a@123.example.com',
        { address: 'a@123.example.com' },
      ],
      [
        '"%0d%0a" as the literal atext it is',
        '%0d%0a@example.com',
        { address: '%0d%0a@example.com' },
      ],
      ['an object', { address: 'Jane@Example.com' }, { address: 'Jane@example.com' }],
      [
        'an object with a name',
        { address: 'jane@example.com', name: ' Jane ' },
        { address: 'jane@example.com', name: 'Jane' },
      ],
      [
        'an object whose name needs no quoting',
        { address: 'j@example.com', name: 'Doe, Jane (Ops)' },
        { address: 'j@example.com', name: 'Doe, Jane (Ops)' },
      ],
      [
        'an object with a blank name as no name',
        { address: 'j@example.com', name: '  ' },
        { address: 'j@example.com' },
      ],
    ])('%s', (_, input, expected) => {
      expect(parseAddress(input)).toEqual({ ok: true, address: expected });
    });

    it('a 64-character local part and a 254-character address, the RFC 5321 maxima', () => {
      const local = 'l'.repeat(64);
      const domain = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(57)}.com`;
      const address = `${local}@${domain}`;
      expect(address).toHaveLength(254);
      expect(parseAddress(address)).toEqual({ ok: true, address: { address } });
    });

    it('a display name of 128 characters, counted as code points', () => {
      const name = '😀'.repeat(128);
      expect(parseAddress({ address: 'a@example.com', name })).toEqual({
        ok: true,
        address: { address: 'a@example.com', name },
      });
    });
  });

  describe('rejects', () => {
    it.each<[string, AddressInput, string | RegExp]>([
      ['an empty string', '', 'is required'],
      ['only spaces', '   ', 'is required'],
      ['no "@"', 'plainaddress', 'must contain "@"'],
      ['an empty local part', '@example.com', /local part .* is empty/],
      ['an empty domain', 'jane@', /domain .* is empty/],
      ['a domain without a dot', 'jane@localhost', 'domain must contain a dot'],
      ['consecutive dots', 'jane..doe@example.com', /local part may contain only/],
      ['a leading dot', '.jane@example.com', /local part may contain only/],
      ['a trailing dot in the local part', 'jane.@example.com', /local part may contain only/],
      ['a space in the local part', 'jane doe@example.com', /local part may contain only/],
      ['two "@"', 'jane@doe@example.com', /local part may contain only/],
      ['a quoted local part', '"jane doe"@example.com', 'quoted local parts are not accepted'],
      ['a quote inside the local part', 'ja"ne@example.com', 'quoted local parts are not accepted'],
      [
        'a comment in the local part',
        'jane(comment)@example.com',
        'must not contain comments "( )"',
      ],
      [
        'a comment after the domain',
        'jane@example.com(comment)',
        'must not contain comments "( )"',
      ],
      ['an IPv4 literal', 'jane@[192.168.0.1]', 'IP address literals are not accepted'],
      ['an IPv6 literal', 'jane@[IPv6:::1]', 'IP address literals are not accepted'],
      ['a bare IPv4 address as domain', 'jane@192.168.0.1', 'top-level domain must not be numeric'],
      ['a numeric TLD', 'jane@example.123', 'top-level domain must not be numeric'],
      ['a label starting with a hyphen', 'jane@-example.com', /domain labels may contain only/],
      ['a label ending with a hyphen', 'jane@example-.com', /domain labels may contain only/],
      ['an underscore in the domain', 'jane@ex_ample.com', /domain labels may contain only/],
      ['an empty label', 'jane@example..com', 'domain must not contain empty labels'],
      ['a trailing dot in the domain', 'jane@example.com.', 'domain must not contain empty labels'],
      [
        'a 64-character label',
        `jane@${'x'.repeat(64)}.com`,
        'domain labels must be at most 63 characters',
      ],
      [
        'a 65-character local part',
        `${'l'.repeat(65)}@example.com`,
        'local part must be at most 64 characters',
      ],
      ['a non-ASCII local part', 'zoë@example.com', 'local part must be ASCII'],
      ['a non-ASCII domain', 'info@bücher.example', /use the xn-- form/],
      [
        'two addresses separated by a comma',
        'jane@example.com, eve@evil.example',
        'must hold exactly one address',
      ],
      [
        'two addresses separated by a semicolon',
        'jane@example.com;eve@evil.example',
        'must hold exactly one address',
      ],
      [
        'a second address after a named one',
        'Jane <jane@example.com>, eve@evil.example',
        'must hold exactly one address',
      ],
      [
        'a second address before a named one',
        'eve@evil.example, Jane <jane@example.com>',
        /must hold exactly one address/,
      ],
      [
        'an unquoted name with a comma',
        'Doe, Jane <jane@example.com>',
        /must hold exactly one address \(quote/,
      ],
      [
        'an unquoted name with "@"',
        'jane@example.com <eve@evil.example>',
        'display name must be quoted when it contains : @ ( ) [ or ]',
      ],
      ['an unquoted name with a comment', 'Jane (Ops) <jane@example.com>', /must be quoted/],
      ['a group', 'friends: jane@example.com;', 'must hold exactly one address'],
      ['a missing closing bracket', 'Jane <jane@example.com', 'is missing the closing ">"'],
      [
        'text after the closing bracket',
        'Jane <jane@example.com> extra',
        'must be "Name <address>" with nothing after ">"',
      ],
      ['a second bracketed address', 'Jane <jane@example.com> <eve@evil.example>', /nothing after/],
      ['nested brackets', 'Jane <<jane@example.com>>', /nothing after/],
      [
        'brackets inside the brackets',
        'Jane <ja<ne@example.com>',
        'must be a bare address without "<" or ">"',
      ],
      [
        'a quote inside a quoted name',
        '"Ja"ne" <jane@example.com>',
        'display name must not contain ", \\, < or >',
      ],
      [
        'an escaped quote in a quoted name',
        '"Ja\\"ne" <jane@example.com>',
        'display name must not contain ", \\, < or >',
      ],
      [
        'a stray quote in an unquoted name',
        'Ja"ne <jane@example.com>',
        'display name must not contain ", \\, < or >',
      ],
      [
        'a 129-character name',
        `${'n'.repeat(129)} <jane@example.com>`,
        'display name must be at most 128 characters',
      ],
      [
        'an object address in "Name <address>" form',
        { address: 'Jane <jane@example.com>' },
        'must be a bare address without "<" or ">"',
      ],
      [
        'an object name holding an address',
        { address: 'jane@example.com', name: '<eve@evil.example>' },
        'display name must not contain ", \\, < or >',
      ],
      [
        'an object name with a backslash',
        { address: 'jane@example.com', name: 'a\\b' },
        'display name must not contain ", \\, < or >',
      ],
      [
        'a non-string object name',
        { address: 'jane@example.com', name: 42 } as unknown as AddressInput,
        'display name must be a string',
      ],
      [
        'an object without an address',
        {} as AddressInput,
        'must be an address string or an object {address, name?}',
      ],
      [
        'a number',
        42 as unknown as AddressInput,
        'must be an address string or an object {address, name?}',
      ],
      ['null', null as unknown as AddressInput, 'is required'],
    ])('%s', (_, input, reason) => {
      const result = parseAddress(input);
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({
        reason: typeof reason === 'string' ? reason : (expect.stringMatching(reason) as unknown),
      });
    });

    it('an address over 254 characters even when each part is within its own limit', () => {
      const domain = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(49)}.com`;
      expect(parseAddress(`${'l'.repeat(8)}@${domain}`)).toMatchObject({ ok: true });
      expect(parseAddress(`${'l'.repeat(9)}@${domain}`)).toEqual({
        ok: false,
        reason: 'must be at most 254 characters',
      });
    });

    it('a domain over 253 characters', () => {
      const domain = `${'d'.repeat(63)}.`.repeat(4) + 'com';
      expect(parseAddress(`a@${domain}`)).toEqual({
        ok: false,
        reason: 'domain must be at most 253 characters',
      });
    });
  });

  describe('header injection', () => {
    it.each<[string, AddressInput]>([
      ['CR LF after the address', 'jane@example.com\r\nBcc: eve@evil.example'],
      ['a trailing LF that trimming would hide', 'jane@example.com\n'],
      ['a leading CR', '\rjane@example.com'],
      ['CR LF in the display name', 'Jane\r\nBcc: eve@evil.example <jane@example.com>'],
      ['CR LF inside a quoted display name', '"Jane\r\nBcc: eve@evil.example" <jane@example.com>'],
      ['a TAB in the display name', 'Jane\tDoe <jane@example.com>'],
      ['NUL in the address', 'ja\u0000ne@example.com'],
      ['DEL in the address', 'jane\u007f@example.com'],
      ['NEL (U+0085) in the display name', 'Jane\u0085Doe <jane@example.com>'],
      ['a C1 control (U+009B, CSI)', 'Jane\u009b31m <jane@example.com>'],
      ['U+2028 in the display name', 'Jane\u2028Bcc: eve@evil.example <jane@example.com>'],
      ['U+2029 in the address', 'jane@example.com\u2029'],
      [
        'CR LF in an object name',
        { address: 'jane@example.com', name: 'Jane\r\nBcc: eve@evil.example' },
      ],
      ['U+2028 in an object name', { address: 'jane@example.com', name: 'Jane\u2028' }],
      ['LF in an object address', { address: 'jane@example.com\nBcc: eve@evil.example' }],
    ])('rejects %s', (_, input) => {
      expect(parseAddress(input)).toEqual({
        ok: false,
        reason: expect.stringMatching(
          /control or line-break characters \(found U\+[0-9A-F]{4}\)/,
        ) as unknown,
      });
    });

    it('names the offending character', () => {
      expect(parseAddress('jane@example.com\r\n')).toEqual({
        ok: false,
        reason: 'must not contain control or line-break characters (found U+000D)',
      });
    });

    it('rejects an unpaired surrogate, which cannot be encoded or stored', () => {
      expect(parseAddress({ address: 'jane@example.com', name: 'Jane \ud800' })).toEqual({
        ok: false,
        reason: 'display name must be valid Unicode text (found an unpaired surrogate)',
      });
    });
  });
});
