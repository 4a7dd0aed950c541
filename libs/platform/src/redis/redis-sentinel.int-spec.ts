// REDIS_URL's Sentinel form against real servers: a master, its replica and a Sentinel, each a
// `redis-server` of this test's own on a free loopback port (the shared Redis is never touched),
// started here and stopped afterwards. The shared client and BullMQ's connections are built from
// the URL exactly as the apps build them, and both must ride out a failover.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '@app/testing';
import { closeRedisClient, createRedisClient, redisConnectionOptions } from './redis.module';

const MASTER_NAME = 'ops-test-master';
const SERVER_PASSWORD = 'server-pass';
const SENTINEL_PASSWORD = 'sentinel-pass';
const DB = 15;

interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  readonly output: () => string;
}

describe('REDIS_URL naming a Sentinel group', () => {
  const processes: RedisProcess[] = [];
  const clients: Redis[] = [];
  let dir: string;
  let master: RedisProcess;
  let replica: RedisProcess;
  let sentinel: RedisProcess;
  let url: string;

  async function startRedis(
    args: string[],
    port: number,
    ready = 'Ready to accept connections',
  ): Promise<RedisProcess> {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = { port, child, output: () => output };
    processes.push(started);
    await waitFor(
      `redis-server on port ${port} to accept connections`,
      () => output.includes(ready) || child.exitCode !== null,
      10_000,
      20,
    );
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
    return started;
  }

  function direct(port: number, password: string): Redis {
    const client = new Redis({ host: '127.0.0.1', port, password, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  }

  async function masterPort(): Promise<number> {
    const reply = (await direct(sentinel.port, SENTINEL_PASSWORD).call(
      'SENTINEL',
      'get-master-addr-by-name',
      MASTER_NAME,
    )) as [string, string];
    return Number(reply[1]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
    const server = (port: number): string[] => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--dbfilename',
      `dump-${port}.rdb`,
      '--requirepass',
      SERVER_PASSWORD,
      '--masterauth',
      SERVER_PASSWORD,
    ];
    const masterPortNumber = await freePort();
    master = await startRedis(server(masterPortNumber), masterPortNumber);
    const replicaPortNumber = await freePort();
    replica = await startRedis(
      [...server(replicaPortNumber), '--replicaof', '127.0.0.1', String(masterPortNumber)],
      replicaPortNumber,
    );
    const sentinelPortNumber = await freePort();
    const config = join(dir, 'sentinel.conf');
    // Sentinel rewrites its configuration file, so it must be a file of its own.
    writeFileSync(
      config,
      [
        `port ${sentinelPortNumber}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `requirepass ${SENTINEL_PASSWORD}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPortNumber} 1`,
        `sentinel auth-pass ${MASTER_NAME} ${SERVER_PASSWORD}`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 2000`,
        `sentinel failover-timeout ${MASTER_NAME} 10000`,
        '',
      ].join('\n'),
    );
    sentinel = await startRedis([config, '--sentinel'], sentinelPortNumber, '+monitor master');
    url =
      `redis+sentinel://:${SERVER_PASSWORD}@127.0.0.1:${sentinel.port}/${MASTER_NAME}/${DB}` +
      `?sentinelPassword=${SENTINEL_PASSWORD}`;
    // The replica is in sync and the Sentinel knows it, so a failover has somewhere to go.
    await waitFor(
      'the replica to sync and the Sentinel to discover it',
      async () => {
        const info = await direct(replica.port, SERVER_PASSWORD).info('replication');
        if (!info.includes('master_link_status:up')) return false;
        const replicas = (await direct(sentinel.port, SENTINEL_PASSWORD).call(
          'SENTINEL',
          'replicas',
          MASTER_NAME,
        )) as unknown[];
        return replicas.length === 1;
      },
      20_000,
      100,
    );
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    for (const { child } of processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('connects through the Sentinel to the master, in the database the URL names', async () => {
    const client = createRedisClient(url, new Logger('test'));
    try {
      await client.set('sentinel:probe', 'through the sentinel');
      const onMaster = direct(master.port, SERVER_PASSWORD);
      await onMaster.select(DB);
      expect(await onMaster.get('sentinel:probe')).toBe('through the sentinel');
    } finally {
      await closeRedisClient(client);
    }
  });

  it('keeps the shared client and a BullMQ queue and worker working across a failover', async () => {
    const client = createRedisClient(url, new Logger('test'));
    const queue = new Queue('sentinel-test', { connection: redisConnectionOptions(url) });
    queue.on('error', () => undefined); // connection errors while the master switches
    const processed: string[] = [];
    const worker = new Worker(
      'sentinel-test',
      async (job) => {
        processed.push(String(job.id));
        return Promise.resolve();
      },
      { connection: redisConnectionOptions(url) },
    );
    worker.on('error', () => undefined);
    try {
      await queue.add('job', {}, { jobId: 'before-failover' });
      await waitFor('the job before the failover', () => processed.includes('before-failover'));
      await client.set('sentinel:before', '1');

      await direct(sentinel.port, SENTINEL_PASSWORD).call('SENTINEL', 'failover', MASTER_NAME);
      await waitFor(
        'the Sentinel to promote the replica',
        async () => {
          return (await masterPort()) === replica.port;
        },
        20_000,
        100,
      );

      // Writes taken by the old master until the Sentinel demotes it are lost to the resync, as
      // in any Redis failover: once it is a replica, the client must have followed the switch.
      await waitFor(
        'the old master to be demoted',
        async () =>
          (await direct(master.port, SERVER_PASSWORD).info('replication')).includes('role:slave'),
        20_000,
        100,
      );
      await client.set('sentinel:after', '2');
      const onNewMaster = direct(replica.port, SERVER_PASSWORD);
      await onNewMaster.select(DB);
      await waitFor(
        'the write after the failover to be on the new master',
        async () => (await onNewMaster.get('sentinel:after')) === '2',
        20_000,
        100,
      );
      expect(await onNewMaster.get('sentinel:before')).toBe('1');

      await queue.add('job', {}, { jobId: 'after-failover' });
      await waitFor(
        'the job after the failover',
        () => processed.includes('after-failover'),
        30_000,
        50,
      );
    } finally {
      await worker.close();
      await queue.close();
      await closeRedisClient(client);
    }
  }, 90_000);
});
