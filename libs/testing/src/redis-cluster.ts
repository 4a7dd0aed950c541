// A real Redis Cluster for a test: `redis-server` processes with cluster mode on, on free loopback ports,
// joined by `redis-cli --cluster create` (masters only) and stopped with their files removed afterwards.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

const run = promisify(execFile);
/** Redis's cluster bus listens on the node's port + 10000. */
const BUS_OFFSET = 10_000;

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that is free, whose bus port is free too and fits under 65536. */
async function clusterPort(taken: readonly number[]): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const candidate = 20_000 + (port % 30_000);
    if (
      !taken.includes(candidate) &&
      (await isFree(candidate)) &&
      (await isFree(candidate + BUS_OFFSET))
    ) {
      return candidate;
    }
  }
}

export class RedisCluster {
  private constructor(
    private readonly dir: string,
    readonly ports: readonly number[],
    private readonly children: readonly ChildProcess[],
  ) {}

  /** Starts `masters` nodes and joins them into one cluster covering every slot. */
  static async start(masters = 3): Promise<RedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
    const ports: number[] = [];
    const children: ChildProcess[] = [];
    const cluster = new RedisCluster(dir, ports, children);
    try {
      for (let i = 0; i < masters; i += 1) {
        const port = await clusterPort(ports);
        ports.push(port);
        const nodeDir = join(dir, String(port));
        mkdirSync(nodeDir);
        const child = spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            nodeDir,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        children.push(child);
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        await waitFor(
          `redis-server (cluster node) on port ${port}`,
          () => output.includes('Ready to accept connections') || child.exitCode !== null,
          10_000,
          20,
        );
        if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
      }
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await waitFor(
        'the cluster to be ok on every node',
        async () => {
          const states = await Promise.all(
            ports.map(
              async (port) =>
                (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout,
            ),
          );
          return states.every((info) => info.includes('cluster_state:ok'));
        },
        20_000,
        100,
      );
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** REDIS_URL's cluster form naming every node. */
  get url(): string {
    return `redis+cluster://${this.ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
