import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The socket inode of the local IPv4/IPv6 TCP port `port`, from /proc/net/tcp{,6} (Linux). */
function socketInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`)) return fields[9];
    }
  }
  return undefined;
}

/**
 * Which of `pids` holds the TCP connection whose local port is `port`: e.g. which worker process a test
 * SMTP server is talking to, found from the peer port of its session.
 */
export function pidOwningPort(port: number, pids: readonly number[]): number | undefined {
  const inode = socketInode(port);
  if (inode === undefined) return undefined;
  const link = `socket:[${inode}]`;
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === link;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}
