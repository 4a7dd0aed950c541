import type { AddressInfo, Server } from 'node:net';
import { listeningUrl } from './listening-url';

const bound = (address: AddressInfo): Server => ({ address: () => address }) as unknown as Server;

describe('listeningUrl', () => {
  it('states the address the server really bound, IPv6 in brackets', () => {
    expect(listeningUrl(bound({ address: '127.0.0.1', family: 'IPv4', port: 3000 }))).toBe(
      'http://127.0.0.1:3000',
    );
    expect(listeningUrl(bound({ address: '0.0.0.0', family: 'IPv4', port: 9464 }))).toBe(
      'http://0.0.0.0:9464',
    );
    expect(listeningUrl(bound({ address: '::', family: 'IPv6', port: 80 }))).toBe('http://[::]:80');
  });
});
