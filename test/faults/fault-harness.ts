// The fault suite's harness: the real built processes (api, projector, workers) on an isolated database
// and Redis db index, an SMTP sink on loopback that records every message raw and answers as told, process
// control (kill with any signal, restart, which process is on the other end of an SMTP session), an HTTP
// client with the admin key that counts the api's answers, and THE invariant every scenario ends with:
// every acknowledged email arrived exactly once (or, if it was meant to bounce, failed once and never
// arrived), not before its sendAt, and the read model equals a rebuild from position 0.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { EMAIL_CATEGORY, emailIdOfStream } from '@app/email-streams';
import { PostgresEventStore } from '@app/event-store';
import {
  countDifferences,
  readProjection,
  replayIntoNewGeneration,
  toPosition,
} from '@app/read-model';
import {
  AppProcess,
  createTestDatabase,
  freePort,
  localPortsOf,
  pidOwningPort,
  SmtpSink,
  waitFor,
  type App,
  type ReceivedMessage,
  type TestDatabase,
} from '@app/testing';

const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const ADMIN_API_KEY = `esk_${'fault'.repeat(9)}`;

/** The workers' WORKER_LEASE_MS. */
export const SEND_LEASE_MS = 5_000;

/** Emails per scenario: small in CI, FAULTS_N=1000 for the full run. */
export const FAULTS_N = Math.max(1, Number(process.env.FAULTS_N ?? 50) || 50);

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent verbatim as application/json. */
  readonly raw?: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** What the sink must see of an acknowledged email. */
export type Fate =
  /** Accepted (250) exactly once. */
  | 'delivered'
  /** Refused for good by the relay (5xx): failed after one attempt, never accepted, never retried. */
  | 'bounced';

/** An email the API acknowledged with a 2xx. */
export interface Acknowledged {
  readonly id: string;
  readonly sendAt: number;
  readonly messageId: string;
  /** Every recipient address the email was scheduled for, lower-cased. */
  readonly recipients: readonly string[];
  readonly fate: Fate;
}

/** An address input (a string, or `{address, name?}`) as text. */
function addressText(item: unknown): string {
  if (typeof item === 'string') return item;
  const address = (item as { address?: unknown } | null)?.address;
  return typeof address === 'string' ? address : '';
}

function recipientAddresses(value: unknown): string[] {
  const list: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((item) => {
    const text = addressText(item);
    return (/<([^>]+)>\s*$/.exec(text)?.[1] ?? text).trim().toLowerCase();
  });
}

const execFileAsync = promisify(execFile);

/** The local PostgreSQL cluster's version directory (/etc/postgresql/<version>). */
function clusterVersion(): string {
  const version = readdirSync('/etc/postgresql')[0];
  if (version === undefined) throw new Error('no cluster under /etc/postgresql');
  return version;
}

/**
 * A redis-server of a scenario's own on a free loopback port, persisting to `dir`: `save()` writes its RDB
 * snapshot, `crash()` kills it -9, and `start()` again loads whatever snapshot `dir` holds.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.output = '';
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    await waitFor(
      `redis-server on port ${this.port}`,
      () => this.output.includes('Ready to accept connections') || child.exitCode !== null,
      10_000,
      20,
    );
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${this.output}`);
  }

  /** A client for the test's own looks (one command at a time, then gone). */
  async run<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      return await work(client);
    } finally {
      client.disconnect();
    }
  }

  async crash(): Promise<void> {
    const child = this.child;
    // A child killed by a signal has a signalCode and no exitCode: either means it is gone.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export class FaultHarness {
  sink!: SmtpSink;
  readonly processes = new Map<string, AppProcess>();
  readonly acknowledged = new Map<string, Acknowledged>();
  /** The api's answers since the scenario began, by status. */
  readonly statuses = new Map<number, number>();
  database!: TestDatabase;
  pool!: Pool;
  store!: PostgresEventStore;
  redis!: Redis;
  redisUrl = '';
  apiUrl = '';
  private env: Record<string, string> = {};
  /** acknowledged.size when the scenario began: its own emails come after. */
  private scenarioStart = 0;
  /**
   * Each worker the test took down (kill -9 or SIGSTOP): its local TCP ports then and when. A message the
   * sink stored from one of those ports before that moment may have been stored with its worker gone before
   * the 250 was read: the one window the guard leaves (docs/ARCHITECTURE.md), and the only duplicate the
   * invariant excuses, once per such email.
   */
  private readonly takedowns: { readonly ports: ReadonlySet<number>; readonly at: number }[] = [];
  private readonly privateRedises: PrivateRedis[] = [];

  constructor(private readonly redisDb: number) {}

  /** Creates the database, flushes the Redis db, starts the sink (the apps are built by jest's global setup). */
  static async create(redisDb = 12): Promise<FaultHarness> {
    const harness = new FaultHarness(redisDb);
    await harness.setUp();
    return harness;
  }

  private async setUp(): Promise<void> {
    this.database = await createTestDatabase('faults');
    const url = new URL(REDIS_BASE);
    url.pathname = `/${this.redisDb}`;
    this.redisUrl = url.toString();
    this.redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    await this.redis.flushdb();
    this.sink = await SmtpSink.start();
    const port = await freePort();
    this.apiUrl = `http://127.0.0.1:${port}`;
    this.env = {
      DATABASE_URL: this.database.url,
      REDIS_URL: this.redisUrl,
      SMTP_URL: this.sink.url,
      ADMIN_API_KEY,
      PORT: String(port),
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      GLOBAL_RATE_LIMIT_PER_HOUR: '0',
      API_RATE_LIMIT: '1000000',
      SIGN_IN_RATE_LIMIT: '1000000',
      WORKER_LEASE_MS: String(SEND_LEASE_MS),
      RETRY_BASE_DELAY_MS: '500',
      WORKER_CONCURRENCY: '20',
      LOG_LEVEL: 'info',
    };
  }

  /** Opens the harness's own connections once the api has migrated the schemas. */
  private async connect(): Promise<void> {
    if (this.pool) return;
    this.pool = new Pool({ connectionString: this.database.url, max: 4 });
    this.pool.on('error', () => undefined);
    this.store = await PostgresEventStore.open({
      connectionString: this.database.url,
      poolSize: 2,
    });
  }

  logs(): string {
    return [...this.processes.values()]
      .map((p) => `--- ${p.name} (${p.alive ? 'alive' : 'exited'})\n${p.output.slice(-3000)}`)
      .join('\n');
  }

  /** A scenario begins: its figures count its own emails and the api's answers from here on. */
  beginScenario(): void {
    this.scenarioStart = this.acknowledged.size;
    this.statuses.clear();
  }

  /** Spawns `app` under `name` (e.g. worker-2) and waits for its ready line. */
  async start(
    name: string,
    app: App = name as App,
    env: Record<string, string> = {},
  ): Promise<AppProcess> {
    const started = await AppProcess.start(app, { ...this.env, ...env }, { name }).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${this.logs()}`);
      },
    );
    this.processes.set(name, started);
    if (app === 'api') await this.connect();
    return started;
  }

  /** Sends `signal` to the named process; for SIGKILL/SIGTERM resolves once it has exited. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const target = this.processes.get(name);
    if (target?.alive && (signal === 'SIGKILL' || signal === 'SIGSTOP')) {
      const ports = localPortsOf(target.pid);
      await target.signal(signal);
      this.takedowns.push({ ports, at: Date.now() });
      return;
    }
    await target?.signal(signal);
  }

  /** Whether the sink stored this copy from a worker the test then took down (see `takedowns`). */
  private storedBeforeATakedown(message: ReceivedMessage): boolean {
    return this.takedowns.some(
      ({ ports, at }) => ports.has(message.clientPort) && message.receivedAt <= at,
    );
  }

  /** Stops every live worker gracefully (SIGTERM: running sends finish); answers their names. */
  async stopWorkers(): Promise<string[]> {
    const names = [...this.processes.values()]
      .filter((p) => p.alive && p.app === 'worker')
      .map((p) => p.name);
    for (const name of names) await this.kill(name, 'SIGTERM');
    return names;
  }

  /** A redis-server of the scenario's own (stopped by `close()` if the scenario does not). */
  async privateRedis(): Promise<PrivateRedis> {
    const dir = await mkdtemp(join(tmpdir(), 'faults-redis-'));
    const redis = new PrivateRedis(dir, await freePort());
    this.privateRedises.push(redis);
    await redis.start();
    return redis;
  }

  /** kill -9 and start again with the same name and app. */
  async restart(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const app = this.processes.get(name)?.app ?? (name as App);
    await this.kill(name, 'SIGKILL');
    return this.start(name, app, env);
  }

  /** The name of the live process holding the local TCP port `port` (the other end of a connection). */
  ownerOf(port: number): string | undefined {
    const live = [...this.processes.values()].filter((p) => p.alive);
    const pid = pidOwningPort(
      port,
      live.map((p) => p.pid),
    );
    return live.find((p) => p.pid === pid)?.name;
  }

  /** `pg_ctlcluster <version> main <action> [args]` on the machine's one PostgreSQL cluster. */
  async postgres(action: 'restart' | 'stop' | 'start', ...args: string[]): Promise<void> {
    await execFileAsync('pg_ctlcluster', [
      '--skip-systemctl-redirect',
      clusterVersion(),
      'main',
      action,
      ...args,
    ]);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const hasBody = options.body !== undefined || options.raw !== undefined;
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_API_KEY}`,
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = { text };
    }
    return { status: response.status, text, body };
  }

  /** Answers of 500 and above since the scenario began, by status. */
  serverErrors(): Record<string, number> {
    return Object.fromEntries([...this.statuses].filter(([status]) => status >= 500));
  }

  /** POST /v1/emails; a 2xx is recorded as acknowledged (the invariant then holds the API to it). */
  async schedule(
    email: Record<string, unknown>,
    headers: Record<string, string> = {},
    fate: Fate = 'delivered',
  ) {
    const reply = await this.call('POST', '/v1/emails', { body: email, headers });
    if (reply.status >= 200 && reply.status < 300) this.acknowledge(email, reply, fate);
    return reply;
  }

  acknowledge(email: Record<string, unknown>, reply: Reply, fate: Fate = 'delivered'): void {
    const id = String(reply.body.id);
    const fromText = addressText(email.from);
    const address = /<([^>]+)>\s*$/.exec(fromText)?.[1] ?? fromText;
    const domain = address.slice(address.lastIndexOf('@') + 1);
    this.acknowledged.set(id, {
      id,
      sendAt: Date.parse(String(reply.body.sendAt ?? email.sendAt)),
      messageId: `<${id}@${domain}>`,
      recipients: [
        ...recipientAddresses(email.to),
        ...recipientAddresses(email.cc),
        ...recipientAddresses(email.bcc),
      ],
      fate,
    });
  }

  /**
   * Schedules `count` ordinary emails due `delayMs` from now, `parallel` requests at a time; `recipient(n)`
   * names the n-th email's recipient, and `fate(n)` what the sink must see of it.
   */
  async scheduleMany(
    count: number,
    delayMs: number,
    parallel = 10,
    tag = 'fault',
    recipient: (n: number) => string = (n) => `rcpt${n}@example.net`,
    fate: (n: number) => Fate = () => 'delivered',
  ): Promise<void> {
    const sendAt = new Date(Date.now() + delayMs).toISOString();
    let next = 0;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) {
          const n = next++;
          const reply = await this.schedule(
            {
              from: 'faults@example.com',
              to: [recipient(n)],
              subject: `${tag} ${n}`,
              text: `body ${n}`,
              sendAt,
              tags: [tag],
            },
            {},
            fate(n),
          );
          if (reply.status !== 201) failures.push(`${reply.status} ${reply.text}`);
        }
      }),
    );
    if (failures.length > 0) throw new Error(`schedule failed: ${failures.slice(0, 3).join('; ')}`);
  }

  /** The projection has applied every event, including any an open transaction held back. */
  async projectorCaughtUp(): Promise<boolean> {
    const after = toPosition((await readProjection(this.pool)).position);
    const next = await this.store.readCategory(EMAIL_CATEGORY, { after, maxCount: 1 });
    return next.length === 0 && !(await this.store.hasHeldBackEvents(EMAIL_CATEGORY, after));
  }

  /** Accepted (250) copies of the email at the sink. */
  deliveries(a: Acknowledged): number {
    return this.sink.accepted(a.messageId).length;
  }

  /**
   * THE invariant over every email acknowledged so far: each one meant to arrive was accepted by the sink
   * (by Message-ID) exactly once, each one meant to bounce never was, none before its sendAt, every one
   * settled (sent or failed) in the read model, and the read model equals a replay from position 0. Waits up
   * to `deadlineMs` for deliveries. The figures it returns are the scenario's own emails'.
   */
  async checkInvariant(deadlineMs = 60_000): Promise<InvariantReport> {
    const all = [...this.acknowledged.values()];
    const pending = (): Acknowledged[] =>
      all.filter((a) => a.fate === 'delivered' && this.deliveries(a) === 0);
    await waitFor(
      'every acknowledged email at the sink',
      () => pending().length === 0,
      deadlineMs,
      100,
    ).catch((error: unknown) => {
      const missing = pending();
      throw new Error(
        `${String(error)}: ${missing.length} missing, e.g. ${missing
          .slice(0, 3)
          .map((a) => a.id)
          .join(', ')}\n${this.logs()}`,
      );
    });
    // Outcomes (EmailSent) land after the sink's 250; let the workers and the projector settle.
    const unsettled = async (): Promise<string[]> => {
      const { rows } = await this.pool.query<{ email_id: string; status: string }>(
        `SELECT email_id, status FROM read_model.emails WHERE email_id = ANY($1::uuid[])`,
        [all.map((a) => a.id)],
      );
      const status = new Map(rows.map((row) => [row.email_id, row.status]));
      return all
        .filter((a) => status.get(a.id) !== (a.fate === 'delivered' ? 'sent' : 'failed'))
        .map((a) => `${a.id} ${status.get(a.id) ?? 'absent'} (meant to be ${a.fate})`);
    };
    await waitFor(
      'every acknowledged email settled in the read model',
      async () => (await unsettled()).length === 0,
      deadlineMs,
      200,
    ).catch(async (error: unknown) => {
      const left = await unsettled();
      throw new Error(
        `${String(error)}: ${left.length} unsettled, e.g. ${left.slice(0, 3).join('; ')}\n${this.logs()}`,
      );
    });
    await waitFor('the projector to catch up', () => this.projectorCaughtUp(), deadlineMs, 100);

    const { rows: inDoubtRows } = await this.pool.query<{ stream_name: string }>(
      `SELECT DISTINCT stream_name FROM event_store.events WHERE type = 'EmailSendInDoubt'`,
    );
    const inDoubt = new Set(
      inDoubtRows.map((row) => emailIdOfStream(row.stream_name) ?? row.stream_name),
    );
    const { rows: attemptRows } = await this.pool.query<{ stream_name: string; n: string }>(
      `SELECT stream_name, count(*) AS n FROM event_store.events
        WHERE type = 'EmailSendAttempted' GROUP BY stream_name`,
    );
    const attempts = new Map(
      attemptRows.map((row) => [
        emailIdOfStream(row.stream_name) ?? row.stream_name,
        Number(row.n),
      ]),
    );
    const scenario = all.slice(this.scenarioStart);
    const inScenario = new Set(scenario.map((a) => a.id));
    let duplicates = 0;
    let early = 0;
    let bouncedDelivered = 0;
    let bouncedRetried = 0;
    let maxLatenessMs = 0;
    const figures = { excusedDuplicates: 0, inDoubt: 0, bounced: 0 };
    for (const a of all) {
      const got = this.sink.accepted(a.messageId);
      // One extra copy, and only where the first was stored from a worker the test took down right after.
      const excused = got.length > 1 && got[0] && this.storedBeforeATakedown(got[0]) ? 1 : 0;
      const extra = Math.max(0, got.length - 1);
      duplicates += extra - excused;
      if (a.fate === 'bounced') {
        bouncedDelivered += got.length;
        if ((attempts.get(a.id) ?? 0) !== 1) bouncedRetried += 1;
      }
      // Every attempt, refused ones too: none may reach the relay before the email is due.
      for (const message of this.sink.received(a.messageId)) {
        if (message.receivedAt < a.sendAt) early += 1;
      }
      if (!inScenario.has(a.id)) continue;
      figures.excusedDuplicates += excused;
      if (inDoubt.has(a.id)) figures.inDoubt += 1;
      if (a.fate === 'bounced') figures.bounced += 1;
      for (const message of got)
        maxLatenessMs = Math.max(maxLatenessMs, message.receivedAt - a.sendAt);
    }
    const generation = await replayIntoNewGeneration(this.pool, this.store);
    const differences = await countDifferences(
      this.pool,
      'read_model',
      `read_model_g${generation}`,
    );
    await this.pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    expect({ duplicates, early, bouncedDelivered, bouncedRetried, differences }).toEqual({
      duplicates: 0,
      early: 0,
      bouncedDelivered: 0,
      bouncedRetried: 0,
      differences: 0,
    });
    const report: InvariantReport = {
      acknowledged: scenario.length,
      lost: 0,
      duplicates: figures.excusedDuplicates,
      inDoubt: figures.inDoubt,
      bounced: figures.bounced,
      early: 0,
      maxLatenessMs,
      differences,
      serverErrors: this.serverErrors(),
    };
    this.scenarioStart = all.length;
    return report;
  }

  /**
   * Emails ever scheduled (EmailScheduled events): what a refused request must not add to. Other events
   * keep coming while earlier scenarios' emails go out, so they are not counted.
   */
  async scheduledCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE type = 'EmailScheduled'`,
    );
    return Number(rows[0]?.n);
  }

  async close(): Promise<void> {
    for (const started of this.processes.values()) {
      if (started.alive) {
        started.child.kill('SIGCONT');
        started.child.kill('SIGKILL');
        await started.exited;
      }
    }
    for (const redis of this.privateRedises) {
      await redis.crash();
      await rm(redis.dir, { recursive: true, force: true });
    }
    await this.sink?.stop();
    await this.store?.close();
    await this.pool?.end();
    if (this.redis) {
      await this.redis.flushdb().catch(() => undefined);
      this.redis.disconnect();
    }
    await this.database?.drop();
  }
}

/** One scenario's figures, over its own emails (the invariant itself is checked over all of them). */
// A type, not an interface: scenarios spread it into records of their own figures.
export type InvariantReport = {
  readonly acknowledged: number;
  /** Acknowledged emails never delivered: 0, or the check fails. */
  readonly lost: number;
  /**
   * Extra copies delivered, each of a message the sink stored from a worker the test then killed or froze
   * before it read the 250 (at most one per email; any other duplicate fails the check).
   */
  readonly duplicates: number;
  /** Emails whose attempt was resolved in doubt. */
  readonly inDoubt: number;
  /** Emails refused for good by the relay: failed once, never retried, never delivered. */
  readonly bounced: number;
  readonly early: number;
  readonly maxLatenessMs: number;
  readonly differences: number;
  /** The api's answers of 500 and above during the scenario, by status. */
  readonly serverErrors: Readonly<Record<string, number>>;
};
