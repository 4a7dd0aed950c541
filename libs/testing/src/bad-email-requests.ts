// Generated bad POST /v1/emails requests, each derived from one rule of the DTO or the domain and broken on
// purpose: the api's property test and the fault suite (over the built api) both send them.
import fc from 'fast-check';
import { MAX_TAG_LENGTH, MAX_TAGS } from '@app/domain';

const MAX_RECIPIENTS = 50;
const MAX_SUBJECT_LENGTH = 998;
const MAX_ATTEMPTS_CAP = 20;
const HORIZON_DAYS = 365;

type Json = unknown;
export type Payload = Record<string, Json>;
/** What goes on the wire: a JSON value, or raw text (malformed JSON, non-JSON content types). */
export type BadRequest =
  | { readonly kind: 'json'; readonly body: Json }
  | { readonly kind: 'raw'; readonly text: string; readonly contentType: string };

const FIELDS = [
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'text',
  'html',
  'sendAt',
  'tags',
  'maxAttempts',
  'timeZone',
  'deliveryWindow',
  'expiresAt',
  'replyTo',
  'headers',
  'metadata',
  'attachments',
  'template',
];
/** What nodemailer would read as a file path or URL (or raw MIME): never accepted anywhere. */
const SMUGGLED_KEYS = ['path', 'href', 'raw'];
const NODEMAILER_KEYS = ['envelope', 'alternatives', 'icalEvent', 'dkim', 'list', 'raw'];

// ---- building blocks -------------------------------------------------------------------------

/** CR, LF, the Unicode line separators, NEL, NUL, TAB, DEL, ESC: all break a header. */
const breaker = fc.constantFrom(
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\t',
  '\u007f',
  '\u001b',
);
const someText = fc.string({ maxLength: 12 });
/** Text with at least one header-breaking character somewhere in it. */
const brokenHeaderText = fc
  .tuple(someText, breaker, someText, fc.constantFrom('', 'Bcc: victim@example.com', 'X-Evil: 1'))
  .map(([before, brk, after, injected]) => `${before}${brk}${injected}${after}`);

const goodAddress = fc
  .tuple(
    fc.constantFrom('alice', 'bob', 'c.d', 'e+f'),
    fc.constantFrom('example.com', 'mail.example.org'),
  )
  .map(([local, domain]) => `${local}@${domain}`);

/** Strings that are not exactly one valid mailbox. */
const badAddressString = fc.oneof(
  fc.tuple(goodAddress, brokenHeaderText).map(([address, text]) => `${address}${text}`),
  fc.tuple(goodAddress, brokenHeaderText).map(([address, text]) => `${text}<${address}>`),
  fc.string({ maxLength: 30 }).filter((s) => !s.includes('@')),
  fc.constantFrom(
    '',
    '   ',
    'alice@',
    '@example.com',
    'a@b@example.com',
    'alice example@example.com',
    'Alice <alice@example.com',
    'Alice <alice@example.com> trailing',
    'alice@example.com, bob@example.com',
    'alice@example.com; bob@example.com',
    '<>',
  ),
);

/** Any JSON value but a string or a plain object: never an address. */
const notAddressValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
/** Any JSON value but a string. */
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);
/** Any JSON value but a string, null excluded (null means "absent" to an optional field). */
const notStringNorNull = notString.filter((value) => value !== null);

/** A key no DTO declares (nor the prototype-polluting ones class-transformer may drop). */
const unknownKey = fc.oneof(
  fc.constantFrom(...SMUGGLED_KEYS),
  fc.constantFrom(...SMUGGLED_KEYS),
  fc.constantFrom(...NODEMAILER_KEYS),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter(
      (key) =>
        !FIELDS.includes(key) &&
        key !== 'address' &&
        key !== 'name' &&
        !['__proto__', 'constructor', 'prototype'].includes(key),
    ),
);
const smuggledValue = fc.oneof(
  fc.constantFrom('/etc/passwd', 'file:///etc/shadow', 'http://169.254.169.254/latest/meta-data/'),
  fc.jsonValue({ maxDepth: 2 }),
);

const badAddressObject = fc.oneof(
  badAddressString.map((address) => ({ address })),
  fc.tuple(goodAddress, brokenHeaderText).map(([address, name]) => ({ address, name })),
  fc.tuple(goodAddress, notStringNorNull).map(([address, name]) => ({ address, name })),
  fc
    .tuple(goodAddress, unknownKey, smuggledValue)
    .map(([address, key, value]) => ({ address, [key]: value })),
  notAddressValue.map((address) => ({ address })),
  fc.string({ maxLength: 8 }).map((name) => ({ name })),
  fc.constant({}),
);
const badAddress = fc.oneof(badAddressString, badAddressObject);

/** A recipient list with at least one bad entry among good ones. */
const recipientsWithABadOne = fc
  .tuple(fc.array(goodAddress, { maxLength: 4 }), badAddress, fc.nat(4))
  .map(([good, bad, at]) => {
    const list: Json[] = [...good];
    list.splice(Math.min(at, list.length), 0, bad);
    return list;
  });
const badRecipients = fc.oneof(
  badAddress,
  recipientsWithABadOne,
  fc.array(fc.array(goodAddress, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
  fc.integer(),
  fc.boolean(),
);

function distinctAddresses(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}@example.com`);
}

const isoBeyondHorizon = fc
  .integer({ min: HORIZON_DAYS + 2, max: HORIZON_DAYS * 20 })
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
const badSendAt = fc.oneof(
  notStringNorNull,
  isoBeyondHorizon,
  fc.constantFrom(
    '',
    'tomorrow',
    'now',
    '2030-01-01T09:00:00', // no offset: refused rather than guessed
    '2030-01-01 09:00',
    '2030-13-01T00:00:00Z',
    '2030-01-01T25:00:00Z',
    '01/02/2030',
    '1893456000000',
  ),
  fc.string({ maxLength: 20 }).filter((s) => !/\d{4}-\d{2}-\d{2}/.test(s)),
);

const badMaxAttempts = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.integer({ min: MAX_ATTEMPTS_CAP + 1, max: 1_000_000 }),
  fc.double({ min: 1.01, max: 19.99, noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('3', 'three', true, [3], { n: 3 }),
);

const badTags = fc.oneof(
  notStringNorNull.filter((value) => !Array.isArray(value)), // a list of strings may be fine
  fc
    .array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 })
    .map((tags) => tags.join(',')),
  fc
    .tuple(
      fc.array(fc.constantFrom('a', 'b.c', 'd:e'), { maxLength: 3 }),
      fc.oneof(
        notStringNorNull,
        brokenHeaderText,
        fc.constant(''),
        fc.constant('x'.repeat(MAX_TAG_LENGTH + 1)),
        fc.constantFrom('has space', 'semi;colon', 'ünï'),
      ),
    )
    .map(([good, bad]) => [...good, bad]),
  fc
    .integer({ min: MAX_TAGS + 1, max: MAX_TAGS + 30 })
    .map((n) => Array.from({ length: n }, (_, i) => `t${i}`)),
);

/** No IANA zone: offsets, typos, places that are not zones, a character no zone name has. */
const badTimeZone = fc.oneof(
  notStringNorNull,
  fc.constantFrom(
    '',
    '+02:00',
    '-05:00',
    'Z',
    'Local',
    'Europe/Pariss',
    'Europe Paris',
    'Europe/Paris ',
    'Europe//Paris',
    'Mars/Olympus',
    '2030-01-01',
    'x'.repeat(65),
  ),
  fc
    .tuple(fc.constantFrom('Europe/Paris', 'America/New_York'), breaker)
    .map(([zone, brk]) => zone + brk),
  fc.string({ maxLength: 12 }).filter((text) => /[^A-Za-z0-9_/+-]/.test(text)),
);

const badClockTime = fc.oneof(
  notStringNorNull,
  fc.constantFrom('', '9:00', '24:00', '09:60', '09:00:00', '0900', '9am', '-01:00', '09:00Z'),
);

/** A window the domain refuses: not an object, or one part of a good one broken, missing or extra. */
const badDeliveryWindow = fc.oneof(
  fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.string({ maxLength: 10 }),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.constant({}),
  ),
  fc
    .oneof(
      badTimeZone.map((timeZone) => ({ timeZone })),
      fc
        .oneof(
          notStringNorNull,
          fc.constant([]),
          fc.constantFrom(['monday'], ['mon', 'mon'], ['Mon'], 'mon', 'mon tue', [1]),
          fc.constant(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon']),
        )
        .map((days) => ({ days })),
      badClockTime.map((start) => ({ start })),
      badClockTime.map((end) => ({ end })),
      fc.constant({ start: '09:00', end: '09:00' }),
      fc
        .tuple(
          unknownKey.filter((key) => !['days', 'start', 'end'].includes(key)),
          smuggledValue,
        )
        .map(([key, value]) => ({ [key]: value })),
      fc
        .constantFrom('timeZone', 'days', 'start', 'end')
        .map((missing) => ({ [missing]: undefined })),
    )
    .map((broken) => {
      const window: Record<string, Json> = {
        timeZone: 'Europe/Paris',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        start: '09:00',
        end: '17:30',
        ...broken,
      };
      for (const key of Object.keys(window)) if (window[key] === undefined) delete window[key];
      return window;
    }),
);

/** No deadline: not an instant, offset-less without a zone, or already past. */
const badExpiresAt = fc.oneof(
  notStringNorNull,
  fc.constantFrom('', 'tomorrow', '2030-01-01T09:00:00', '2030-02-30T09:00:00Z', 'PT2H'),
  fc
    .integer({ min: 1, max: 86_400 * 365 })
    .map((seconds) => new Date(Date.now() - seconds * 1000).toISOString()),
);

/** Header names the service writes itself, in any case. */
const ownedHeaderName = fc
  .constantFrom(
    'From',
    'To',
    'Cc',
    'Bcc',
    'Reply-To',
    'Subject',
    'Message-ID',
    'Date',
    'MIME-Version',
  )
  .chain((name) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase()));
const contentHeaderName = fc.constantFrom(
  'Content-Type',
  'content-transfer-encoding',
  'Return-Path',
  'DKIM-Signature',
  'Received',
  'X-Mailer',
);
/** Not an RFC 5322 field name: empty, a space, a colon, a control or a non-ASCII character in it. */
const badHeaderName = fc.oneof(
  fc.constantFrom('', ' ', 'X Campaign', 'X-A:B', 'X-Ä', 'X-\u00e9t\u00e9', ':'),
  fc.tuple(fc.constantFrom('X-A', 'X-Campaign'), breaker).map(([name, brk]) => `${name}${brk}Bcc`),
  fc.constant(`X-${'n'.repeat(80)}`),
);
/** `headers` that are not a map of acceptable names to single-line strings. */
const badHeaders = fc.oneof(
  fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 })),
  fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }),
  fc.array(fc.record({ name: fc.constant('X-A'), value: fc.constant('1') }), {
    minLength: 1,
    maxLength: 2,
  }),
  fc.oneof(ownedHeaderName, contentHeaderName, badHeaderName).map((name) => ({ [name]: 'v' })),
  brokenHeaderText.map((value) => ({ 'X-Campaign': value })),
  notString.map((value) => ({ 'X-Campaign': value })),
  fc.constantFrom('', '   ').map((value) => ({ 'X-Campaign': value })),
  fc.integer({ min: 2_001, max: 20_000 }).map((n) => ({ 'X-Long': 'v'.repeat(n) })),
  fc
    .integer({ min: 21, max: 60 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-H${i}`, 'v']))),
  fc.constant({ 'X-Campaign': 'a', 'x-campaign': 'b' }),
);
/** `metadata` that is not a map of short keys to short strings. */
const badMetadata = fc.oneof(
  fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 })),
  fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }),
  fc
    .constantFrom('', 'bad key', 'k:v', 'ключ', 'a/b', 'k'.repeat(41))
    .map((key) => ({ [key]: 'v' })),
  notString.map((value) => ({ customer: value })),
  fc.integer({ min: 501, max: 10_000 }).map((n) => ({ note: 'v'.repeat(n) })),
  fc
    .integer({ min: 51, max: 120 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))),
  fc.tuple(someText, someText).map(([a, b]) => ({ note: `${a}\u0000${b}` })),
);
/** A base64 text nothing decodes: characters outside the alphabet, or a length no encoding has. */
const badBase64 = fc.constantFrom(
  '!!!!',
  'a',
  'abcde',
  '====',
  'ab=c',
  'data:text/plain;base64,aGk=',
);
const goodFile = { filename: 'report.txt', content: 'aGVsbG8=', contentType: 'text/plain' };
/** `attachments` with at least one file nobody could send. */
const badAttachments = fc.oneof(
  fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant({})),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 2 }),
  badBase64.map((content) => [{ ...goodFile, content }]),
  notStringNorNull.map((content) => [{ ...goodFile, content }]),
  fc
    .oneof(
      fc.constantFrom('', ' ', '../../etc/passwd', 'a/b.txt', 'a\\b.txt', '.', '..'),
      brokenHeaderText,
      fc.integer({ min: 256, max: 1_000 }).map((n) => `${'f'.repeat(n)}.txt`),
      notStringNorNull,
    )
    .map((filename) => [{ ...goodFile, filename }]),
  fc
    .oneof(
      fc.constantFrom('', 'text', 'text/', '/plain', 'a b/c', 'text/plain\r\nBcc: x@y.z'),
      brokenHeaderText,
    )
    .map((contentType) => [{ ...goodFile, contentType }]),
  fc
    .oneof(fc.constantFrom('', 'a b', 'x\r\ny', 'c'.repeat(300)), notStringNorNull)
    .map((contentId) => [{ ...goodFile, contentId }]),
  fc.constant([{ content: 'aGk=' }]),
  fc.constant([{ filename: 'a.txt' }]),
  fc
    .tuple(fc.constantFrom(...SMUGGLED_KEYS), smuggledValue)
    .map(([key, value]) => [{ ...goodFile, [key]: value }]),
  fc.integer({ min: 101, max: 150 }).map((n) => Array.from({ length: n }, () => goodFile)),
);
/** `template` that names nothing usable: junk, an unknown id, a bad version or variables. */
const badTemplate = fc.oneof(
  fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 })),
  fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 2 }),
  fc.constant({}),
  notStringNorNull.map((id) => ({ id })),
  fc.constantFrom('no-such-template', '', 'x'.repeat(65)).map((id) => ({ id })),
  fc
    .oneof(fc.constantFrom(0, -1, 1.5), fc.string({ maxLength: 3 }))
    .map((version) => ({ id: 'no-such-template', version })),
  fc
    .oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.array(fc.integer(), { maxLength: 2 }))
    .map((variables) => ({ id: 'no-such-template', variables })),
);

// ---- mutations: each leaves its field (or the whole body) invalid ------------------------------

type Mutation = (payload: Payload) => void;
const set =
  (field: string) =>
  (value: Json): Mutation =>
  (payload) => {
    payload[field] = value;
  };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // addresses
  fc
    .oneof(badAddress, fc.array(goodAddress, { minLength: 1, maxLength: 3 }), notAddressValue)
    .map(set('from')),
  fc.oneof(badRecipients, fc.constant([]), fc.constant(null)).map(set('to')), // none is no recipient
  fc.constant((p: Payload) => delete p.to),
  badRecipients.map(set('cc')),
  badRecipients.map(set('bcc')),
  // too many recipients: in `to` alone, or spread over to, cc and bcc
  fc
    .integer({ min: MAX_RECIPIENTS + 1, max: MAX_RECIPIENTS * 4 })
    .map((n) => set('to')(distinctAddresses(n, 'r'))),
  fc
    .tuple(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 40 }),
    )
    .filter(([to, cc, bcc]) => to + cc + bcc > MAX_RECIPIENTS)
    .map(([to, cc, bcc]): Mutation => (p) => {
      p.to = distinctAddresses(to, 'to');
      p.cc = distinctAddresses(cc, 'cc');
      p.bcc = distinctAddresses(bcc, 'bcc');
    }),
  // subject
  fc
    .oneof(
      notString,
      brokenHeaderText,
      fc
        .integer({ min: MAX_SUBJECT_LENGTH + 1, max: MAX_SUBJECT_LENGTH * 3 })
        .map((n) => 's'.repeat(n)),
    )
    .map(set('subject')),
  fc.constant((p: Payload) => delete p.subject),
  // bodies
  notStringNorNull.map(set('text')),
  notStringNorNull.map(set('html')),
  fc.tuple(someText, someText).map(([a, b]) => set('text')(`${a}\u0000${b}`)),
  // sendAt, tags, maxAttempts
  badSendAt.map(set('sendAt')),
  badTags.map(set('tags')),
  badMaxAttempts.map(set('maxAttempts')),
  // local time, delivery window, expiry
  badTimeZone.map(set('timeZone')),
  badDeliveryWindow.map(set('deliveryWindow')),
  badExpiresAt.map(set('expiresAt')),
  // the message's own parts
  fc.oneof(badRecipients, fc.constant([])).map(set('replyTo')),
  fc.integer({ min: 11, max: 30 }).map((n) => set('replyTo')(distinctAddresses(n, 'reply'))),
  badHeaders.map(set('headers')),
  badMetadata.map(set('metadata')),
  badAttachments.map(set('attachments')),
  badTemplate.map(set('template')),
  // unknown fields at the top level and nested
  fc.tuple(unknownKey, smuggledValue).map(([key, value]) => set(key)(value)),
  fc
    .tuple(fc.constantFrom(...SMUGGLED_KEYS), smuggledValue)
    .map(([key, value]) => set('attachments')([{ filename: 'a.txt', [key]: value }])),
  fc
    .tuple(
      fc.constantFrom('from', 'to', 'cc', 'bcc'),
      fc.constantFrom(...SMUGGLED_KEYS),
      smuggledValue,
      goodAddress,
    )
    .map(([field, key, value, address]) => {
      const entry = { address, [key]: value };
      return set(field)(field === 'from' ? entry : [entry]);
    }),
);

const mutatedEmail = (validEmail: () => Payload): fc.Arbitrary<BadRequest> =>
  fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    const payload = validEmail();
    for (const mutate of mutations) mutate(payload);
    return { kind: 'json', body: payload };
  });

const notAnObject = (validEmail: () => Payload): fc.Arbitrary<BadRequest> =>
  fc.oneof(
    fc
      .oneof(
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        fc.constant([validEmail()]),
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant({}),
      )
      .map((body): BadRequest => ({ kind: 'json', body })),
    fc
      .oneof(
        fc.constantFrom(
          '{',
          '{"from":',
          '{"to": [,]}',
          "{'from': 'a@b.c'}",
          'undefined',
          'NaN',
          '{"a":1}}',
        ),
        fc.string({ maxLength: 20 }).filter((text) => !isJson(text)),
      )
      .map((text): BadRequest => ({ kind: 'raw', text, contentType: 'application/json' })),
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')
      .map((contentType): BadRequest => ({
        kind: 'raw',
        text: contentType.includes('urlencoded')
          ? 'from=sender%40example.com&to=alice%40example.com&subject=Hi'
          : JSON.stringify(validEmail()),
        contentType,
      })),
  );

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bad POST /v1/emails requests, each derived from one rule of the DTO or the domain and broken on purpose,
 * built around `validEmail` (a payload the api accepts as it is).
 */
export function badEmailRequests(validEmail: () => Payload): fc.Arbitrary<BadRequest> {
  return fc.oneof(
    { arbitrary: mutatedEmail(validEmail), weight: 8 },
    { arbitrary: notAnObject(validEmail), weight: 1 },
  );
}
