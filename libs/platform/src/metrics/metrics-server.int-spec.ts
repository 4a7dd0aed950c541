import { networkInterfaces } from 'node:os';
import { freePort } from '@app/testing';
import { parseConfig } from '../config';
import { MetricsRegistry } from './metrics-registry';
import { MetricsServer } from './metrics-server';

/** One of this machine's addresses that is not loopback, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((nic) => nic !== undefined && nic.family === 'IPv4' && !nic.internal)?.address;

async function start(env: Record<string, string>): Promise<MetricsServer> {
  const server = new MetricsServer(
    new MetricsRegistry(),
    parseConfig({ METRICS_PORT: String(await freePort()), ...env }),
  );
  await server.onApplicationBootstrap();
  return server;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

describe('MetricsServer', () => {
  it('listens on loopback only unless METRICS_HOST says otherwise, and says where', async () => {
    const server = await start({});
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = new URL(server.url ?? '').port;
      expect(await answers(`http://127.0.0.1:${port}/health/live`)).toBe(true);
      if (outside !== undefined) {
        expect(await answers(`http://${outside}:${port}/health/live`)).toBe(false);
      }
    } finally {
      await server.onApplicationShutdown();
    }
  });

  it('listens where METRICS_HOST says', async () => {
    const server = await start({ METRICS_HOST: '0.0.0.0' });
    try {
      expect(server.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(server.url ?? '').port;
      if (outside !== undefined) {
        expect(await answers(`http://${outside}:${port}/health/live`)).toBe(true);
      }
    } finally {
      await server.onApplicationShutdown();
    }
  });
});
