import { checkWebhookUrl, type HostLookup, type UrlCheck } from './address-policy';

/** A resolver from a table; a name not in it does not exist. Records the names asked for. */
function resolver(
  table: Readonly<Record<string, readonly string[]>>,
): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = (hostname: string): ReturnType<HostLookup> => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
      );
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const),
    );
  };
  return Object.assign(lookup, { asked });
}

/** Unit tests never reach the system resolver: every name goes through a table. */
const noDns = resolver({});

function check(
  url: string,
  allowPrivateNetworks = false,
  lookup: HostLookup = noDns,
): Promise<UrlCheck> {
  return checkWebhookUrl(url, { allowPrivateNetworks, lookup });
}

function reasonOf(result: UrlCheck): string {
  if (result.ok) {
    throw new Error(`expected a refusal, got ${result.address}`);
  }
  return result.reason;
}

describe('checkWebhookUrl', () => {
  describe('refuses every address class a webhook must not reach', () => {
    // [address as it appears in a URL's host, the class named in the reason]
    const refused: readonly (readonly [string, RegExp])[] = [
      // IPv4
      ['0.0.0.0', /^0\.0\.0\.0 is unspecified/],
      ['0.1.2.3', /^0\.1\.2\.3 is unspecified \("this network"\)/],
      ['127.0.0.1', /^127\.0\.0\.1 is loopback$/],
      ['127.255.0.9', /is loopback$/],
      ['10.1.2.3', /^10\.1\.2\.3 is private$/],
      ['172.16.0.1', /is private$/],
      ['172.31.255.254', /is private$/],
      ['192.168.1.1', /is private$/],
      ['169.254.169.254', /^169\.254\.169\.254 is link-local$/], // cloud metadata
      ['169.254.0.1', /is link-local$/],
      ['100.64.0.1', /is carrier-grade NAT$/],
      ['100.100.100.200', /is carrier-grade NAT$/], // Alibaba Cloud metadata
      ['224.0.0.1', /is multicast$/],
      ['239.255.255.250', /is multicast$/],
      ['255.255.255.255', /is broadcast$/],
      ['240.0.0.1', /is reserved$/],
      ['192.0.0.192', /is reserved/], // Oracle Cloud metadata
      ['192.0.2.1', /is documentation$/],
      ['198.51.100.7', /is documentation$/],
      ['203.0.113.9', /is documentation$/],
      ['198.18.0.1', /is benchmarking$/],
      ['198.19.255.255', /is benchmarking$/],
      ['192.88.99.1', /is reserved/],
      ['192.175.48.1', /is as112$/],
      // IPv4 in other spellings: the URL parser normalises them, the check sees 127.0.0.1
      ['2130706433', /^127\.0\.0\.1 is loopback$/],
      ['0x7f.1', /^127\.0\.0\.1 is loopback$/],
      ['0177.0.0.1', /^127\.0\.0\.1 is loopback$/],
      ['127.1', /^127\.0\.0\.1 is loopback$/],
      ['0x0a.0x01.0x02.0x03', /^10\.1\.2\.3 is private$/],
      ['0xA9FEA9FE', /^169\.254\.169\.254 is link-local$/],
      ['%31%32%37.0.0.1', /^127\.0\.0\.1 is loopback$/],
      ['0', /^0\.0\.0\.0 is unspecified/],
      // IPv6
      ['[::]', /^:: is unspecified$/],
      ['[::1]', /^::1 is loopback$/],
      ['[0:0:0:0:0:0:0:1]', /^::1 is loopback$/],
      ['[fe80::1]', /is link-local$/],
      ['[febf::1]', /is link-local$/],
      ['[fc00::1]', /is unique-local/],
      ['[fd00:ec2::254]', /is unique-local/], // AWS's IPv6 metadata service
      ['[ff02::1]', /is multicast$/],
      ['[ff05::1:3]', /is multicast$/],
      ['[fec0::1]', /deprecatedSiteLocal/],
      ['[100::1]', /discard/],
      ['[2001:db8::1]', /is special-purpose \(reserved\)$/], // documentation
      ['[2001:2::1]', /benchmarking/],
      ['[2001::1]', /is Teredo/],
      ['[::7f00:1]', /is reserved \(outside global unicast/], // IPv4-compatible, deprecated
      ['[5f00::1]', /segmentRouting/],
      // IPv4-mapped: judged as the IPv4 inside
      ['[::ffff:127.0.0.1]', /^::ffff:7f00:1 is loopback \(IPv4-mapped 127\.0\.0\.1\)$/],
      ['[::ffff:7f00:1]', /is loopback \(IPv4-mapped 127\.0\.0\.1\)$/],
      ['[::ffff:10.0.0.1]', /is private \(IPv4-mapped 10\.0\.0\.1\)$/],
      ['[::ffff:169.254.169.254]', /is link-local \(IPv4-mapped 169\.254\.169\.254\)$/],
      ['[::ffff:0.0.0.0]', /is unspecified/],
      ['[0:0:0:0:0:ffff:c0a8:0101]', /is private \(IPv4-mapped 192\.168\.1\.1\)$/],
      // IPv4-translated (RFC 6145)
      ['[::ffff:0:7f00:1]', /rfc6145/],
      // NAT64 and 6to4: judged by the IPv4 they embed
      ['[64:ff9b::127.0.0.1]', /is loopback \(NAT64 of 127\.0\.0\.1\)$/],
      ['[64:ff9b::a9fe:a9fe]', /is link-local \(NAT64 of 169\.254\.169\.254\)$/],
      ['[64:ff9b:1::1]', /rfc6052/], // local-use NAT64 prefix: no fixed place for the IPv4
      ['[2002:7f00:1::1]', /is loopback \(6to4 of 127\.0\.0\.1\)$/],
      ['[2002:c0a8:101::]', /is private \(6to4 of 192\.168\.1\.1\)$/],
    ];

    it.each(refused)('http://%s/', async (host, reason) => {
      expect(reasonOf(await check(`http://${host}/`))).toMatch(reason);
      expect(reasonOf(await check(`https://${host}:8443/hook`))).toMatch(reason);
    });

    it.each(refused)('a name resolving to %s', async (host, reason) => {
      // What a resolver answers is judged as a literal is (resolvers answer normalised text).
      const answer = new URL(`http://${host}/`).hostname.replace(/^\[|\]$/g, '');
      const lookup = resolver({ 'hooks.example.com': [answer] });
      expect(reasonOf(await check('https://hooks.example.com/in', false, lookup))).toMatch(reason);
    });
  });

  describe('allows public addresses', () => {
    it.each([
      ['93.184.216.34', '93.184.216.34', 4],
      ['8.8.8.8', '8.8.8.8', 4],
      ['1.1.1.1', '1.1.1.1', 4],
      ['172.32.0.1', '172.32.0.1', 4], // just past 172.16/12
      ['100.128.0.1', '100.128.0.1', 4], // just past 100.64/10
      ['[2606:4700::1111]', '2606:4700::1111', 6],
      ['[2a00:1450:4001:80b::200e]', '2a00:1450:4001:80b::200e', 6],
      // The IPv4 inside decides; a mapped address is connected to as the IPv4 it is.
      ['[::ffff:93.184.216.34]', '93.184.216.34', 4],
      ['[64:ff9b::8.8.8.8]', '64:ff9b::808:808', 6],
      ['[2002:0808:0808::1]', '2002:808:808::1', 6],
    ] as const)('http://%s/', async (host, address, family) => {
      const result = await check(`http://${host}/`);
      expect(result).toMatchObject({ ok: true, address, family });
    });

    it('resolves a name and answers the first address, to be connected to', async () => {
      const lookup = resolver({ 'hooks.example.com': ['93.184.216.34', '2606:4700::1111'] });
      const result = await check('https://hooks.example.com/in?x=1', false, lookup);
      expect(result).toMatchObject({ ok: true, address: '93.184.216.34', family: 4 });
      expect(result.ok && result.url.href).toBe('https://hooks.example.com/in?x=1');
      expect(lookup.asked).toEqual(['hooks.example.com']);
    });

    it('does not ask DNS about an IP literal', async () => {
      const lookup = resolver({});
      expect(await check('http://93.184.216.34/', false, lookup)).toMatchObject({ ok: true });
      expect(await check('http://[2606:4700::1111]:8080/', false, lookup)).toMatchObject({
        ok: true,
      });
      expect(lookup.asked).toEqual([]);
    });
  });

  describe('every address a name resolves to must be allowed', () => {
    it.each([
      [['93.184.216.34', '127.0.0.1'], '127.0.0.1 is loopback'],
      [['10.0.0.5', '93.184.216.34'], '10.0.0.5 is private'],
      [['2606:4700::1111', '::1'], '::1 is loopback'],
      [
        ['93.184.216.34', '::ffff:169.254.169.254'],
        '::ffff:a9fe:a9fe is link-local (IPv4-mapped 169.254.169.254)',
      ],
    ])('%j', async (addresses, reason) => {
      const lookup = resolver({ 'mixed.example.com': addresses });
      expect(reasonOf(await check('http://mixed.example.com/', false, lookup))).toBe(reason);
    });
  });

  describe('the URL itself', () => {
    it.each([
      ['ftp://93.184.216.34/', 'URL must use http or https'],
      ['file:///etc/passwd', 'URL must use http or https'],
      ['gopher://93.184.216.34:70/', 'URL must use http or https'],
      ['javascript:alert(1)', 'URL must use http or https'],
      ['ws://93.184.216.34/', 'URL must use http or https'],
      ['http://user:secret@93.184.216.34/', 'URL must not contain credentials'],
      ['http://user@93.184.216.34/', 'URL must not contain credentials'],
      ['https://:secret@93.184.216.34/', 'URL must not contain credentials'],
      ['not a url', 'not a valid URL'],
      ['http://', 'not a valid URL'],
      ['http://[fe80::1%25eth0]/', 'not a valid URL'],
      ['/relative/path', 'not a valid URL'],
    ])('%s', async (url, reason) => {
      expect(reasonOf(await check(url))).toBe(reason);
      // Syntax rules hold even where every address is allowed.
      expect(reasonOf(await check(url, true))).toBe(reason);
    });

    it('refuses a URL longer than 2048 characters', async () => {
      const base = 'https://93.184.216.34/';
      const url = `${base}${'a'.repeat(2049 - base.length)}`;
      expect(reasonOf(await check(url))).toBe('URL is longer than 2048 characters');
      expect(reasonOf(await check(url, true))).toBe('URL is longer than 2048 characters');
    });

    it('allows a URL of exactly 2048 characters', async () => {
      const base = 'https://93.184.216.34/';
      expect(await check(`${base}${'a'.repeat(2048 - base.length)}`)).toMatchObject({ ok: true });
    });

    it('refuses a URL that normalising makes longer than 2048 characters', async () => {
      // Each space becomes %20.
      const url = `https://93.184.216.34/${' x'.repeat(700)}`;
      expect(url.length).toBeLessThanOrEqual(2048);
      expect(reasonOf(await check(url))).toBe('URL is longer than 2048 characters');
    });
  });

  describe('DNS', () => {
    it('a name that does not exist', async () => {
      expect(reasonOf(await check('https://nowhere.example.com/'))).toBe('DNS: no such host');
    });

    it('a resolver that answers nothing', async () => {
      const lookup = resolver({ 'empty.example.com': [] });
      expect(reasonOf(await check('https://empty.example.com/', false, lookup))).toBe(
        'DNS: no address for empty.example.com',
      );
    });

    it('an answer that is not an address', async () => {
      const lookup = resolver({ 'odd.example.com': ['not-an-ip'] });
      expect(reasonOf(await check('https://odd.example.com/', false, lookup))).toBe(
        'DNS answered "not-an-ip", not an address',
      );
    });

    it('a resolver failure that may pass', async () => {
      const lookup: HostLookup = () =>
        Promise.reject(Object.assign(new Error('later'), { code: 'EAI_AGAIN' }));
      expect(reasonOf(await check('https://flaky.example.com/', false, lookup))).toBe(
        'DNS: lookup failed for now (try again)',
      );
    });
  });

  describe('allowPrivateNetworks', () => {
    it.each([
      ['http://127.0.0.1:8080/', '127.0.0.1', 4],
      ['http://[::1]:8080/', '::1', 6],
      ['http://10.1.2.3/', '10.1.2.3', 4],
      ['http://169.254.169.254/', '169.254.169.254', 4],
      ['http://[::ffff:127.0.0.1]/', '127.0.0.1', 4],
    ] as const)('allows %s', async (url, address, family) => {
      expect(await check(url, true)).toMatchObject({ ok: true, address, family });
    });

    it('allows a name resolving to loopback', async () => {
      const lookup = resolver({ localhost: ['::1', '127.0.0.1'] });
      expect(await check('http://localhost:3000/hook', true, lookup)).toMatchObject({
        ok: true,
        address: '::1',
        family: 6,
      });
    });
  });
});
