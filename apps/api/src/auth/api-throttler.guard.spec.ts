import { clientAddressBucket } from './api-throttler.guard';

describe('the rate-limit bucket of a client address', () => {
  it.each([
    ['203.0.113.7', 'ip:203.0.113.7'],
    ['::ffff:203.0.113.7', 'ip:203.0.113.7'],
    ['2001:db8:0:1::1', 'ip:2001:db8:0:1::/64'],
    ['2001:db8:0:1:ffff:ffff:ffff:ffff', 'ip:2001:db8:0:1::/64'],
    ['2001:db8:0:2::1', 'ip:2001:db8:0:2::/64'],
  ])('puts %s in %s', (ip, bucket) => {
    expect(clientAddressBucket({ ip })).toBe(bucket);
  });
});
