import type { Server } from 'node:net';

/**
 * `http://<address>:<port>` of a listening server, as the OS bound it: what a process's "ready"
 * log line states, so that it never claims loopback while listening everywhere (or the reverse).
 */
export function listeningUrl(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
