// The fault suite's harness: the real built processes (api, projector, workers) on an isolated database
// and Redis db index, an SMTP sink on loopback that records every message raw, process control
// (kill with any signal, restart), an HTTP client with the admin key, and THE invariant every scenario
// ends with: every acknowledged email arrived exactly once, not before its sendAt, and the read model
// equals a rebuild from position 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { PostgresEventStore } from '@app/event-store';
import {
  EMAIL_CATEGORY,
  countDifferences,
  readProjection,
  replayIntoNewGeneration,
  toPosition,
} from '@app/read-model';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@app/testing';

const ROOT = join(__dirname, '..', '..');
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const ADMIN_API_KEY = `esk_${'fault'.repeat(9)}`;

/** Emails per scenario: small in CI, FAULTS_N=1000 for the full run. */
export const FAULTS_N = Math.max(1, Number(process.env.FAULTS_N ?? 50) || 50);

export type App = 'api' | 'projector' | 'worker';
const READY: Record<App, string> = {
  api: 'api ready on',
  projector: 'projector ready',
  worker: 'worker ready',
};

// ---------------------------------------------------------------------------------------------------------
// SMTP sink: records envelope, raw message and Message-ID of everything it accepts.

export interface SunkMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
  readonly headers: string;
  readonly messageId: string | undefined;
  readonly receivedAt: number;
}

export class RecordingSink {
  readonly messages: SunkMessage[] = [];
  private server: SMTPServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 20 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const headers = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            raw,
            headers,
            messageId: /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(headers)?.[1],
            receivedAt: Date.now(),
          });
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  byMessageId(messageId: string): SunkMessage[] {
    return this.messages.filter((message) => message.messageId === messageId);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Processes.

export class AppProcess {
  private text = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly app: App,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get output(): string {
    return this.text;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident set size in bytes, from /proc (Linux). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return Number(kb ?? 0) * 1024;
  }
}

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

/** An email the API acknowledged with a 2xx. */
export interface Acknowledged {
  readonly id: string;
  readonly sendAt: number;
  readonly messageId: string;
  /** Every recipient address the email was scheduled for, lower-cased. */
  readonly recipients: readonly string[];
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

export class FaultHarness {
  readonly sink = new RecordingSink();
  readonly processes = new Map<string, AppProcess>();
  readonly acknowledged = new Map<string, Acknowledged>();
  database!: TestDatabase;
  pool!: Pool;
  store!: PostgresEventStore;
  redis!: Redis;
  redisUrl = '';
  apiUrl = '';
  private env: Record<string, string> = {};

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
    await this.sink.start();
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
      WORKER_LEASE_MS: '5000',
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

  /** Spawns `app` under `name` (e.g. worker-2) and waits for its ready line. */
  async start(
    name: string,
    app: App = name as App,
    env: Record<string, string> = {},
  ): Promise<AppProcess> {
    const entry = join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AppProcess(name, app, child);
    this.processes.set(name, started);
    await waitFor(
      `${name} to be ready`,
      () => started.output.includes(READY[app]) || !started.alive,
      60_000,
      25,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${this.logs()}`);
    });
    if (!started.alive) throw new Error(`${name} exited at boot\n${started.output}`);
    if (app === 'api') await this.connect();
    return started;
  }

  /** Sends `signal` to the named process; for SIGKILL/SIGTERM resolves once it has exited. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const started = this.processes.get(name);
    if (!started?.alive) return;
    started.child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') await started.exited;
  }

  /** kill -9 and start again with the same name and app. */
  async restart(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const app = this.processes.get(name)?.app ?? (name as App);
    await this.kill(name, 'SIGKILL');
    return this.start(name, app, env);
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
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = { text };
    }
    return { status: response.status, text, body };
  }

  /** POST /v1/emails; a 2xx is recorded as acknowledged (the invariant then holds the API to it). */
  async schedule(email: Record<string, unknown>, headers: Record<string, string> = {}) {
    const reply = await this.call('POST', '/v1/emails', { body: email, headers });
    if (reply.status >= 200 && reply.status < 300) this.acknowledge(email, reply);
    return reply;
  }

  acknowledge(email: Record<string, unknown>, reply: Reply): void {
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
    });
  }

  /** Schedules `count` ordinary emails due `delayMs` from now, `parallel` requests at a time. */
  async scheduleMany(count: number, delayMs: number, parallel = 10, tag = 'fault'): Promise<void> {
    const sendAt = new Date(Date.now() + delayMs).toISOString();
    let next = 0;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) {
          const n = next++;
          const reply = await this.schedule({
            from: 'faults@example.com',
            to: [`rcpt${n}@example.net`],
            subject: `${tag} ${n}`,
            text: `body ${n}`,
            sendAt,
            tags: [tag],
          });
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

  /**
   * THE invariant: every acknowledged email reached the sink exactly once (by Message-ID), not before its
   * sendAt, and the read model equals a replay from position 0. Waits up to `deadlineMs` for deliveries.
   */
  async checkInvariant(deadlineMs = 60_000): Promise<InvariantReport> {
    const pending = (): Acknowledged[] =>
      [...this.acknowledged.values()].filter(
        (a) => this.sink.byMessageId(a.messageId).length === 0,
      );
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
    const ids = [...this.acknowledged.keys()];
    const unsettled = async (): Promise<number> => {
      const { rows } = await this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM read_model.emails WHERE email_id = ANY($1::uuid[]) AND status = 'sent'`,
        [ids],
      );
      return ids.length - Number(rows[0]?.n);
    };
    await waitFor(
      'every acknowledged email sent in the read model',
      async () => (await unsettled()) === 0,
      deadlineMs,
      200,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}: ${await unsettled()} not sent\n${this.logs()}`);
    });
    await waitFor('the projector to catch up', () => this.projectorCaughtUp(), deadlineMs, 100);

    // A resend after a lease ran out in doubt (the documented IN_DOUBT_POLICY=resend) may duplicate, with the
    // same Message-ID; every other duplicate breaks the invariant.
    const { rows: inDoubtRows } = await this.pool.query<{ stream_name: string }>(
      `SELECT DISTINCT stream_name FROM event_store.events WHERE type = 'EmailSendInDoubt'`,
    );
    const inDoubt = new Set(inDoubtRows.map((row) => row.stream_name.replace(/^email-/, '')));
    let duplicates = 0;
    let inDoubtDuplicates = 0;
    let early = 0;
    let maxLatenessMs = 0;
    for (const a of this.acknowledged.values()) {
      const got = this.sink.byMessageId(a.messageId);
      if (got.length > 1 && inDoubt.has(a.id)) inDoubtDuplicates += got.length - 1;
      else if (got.length > 1) duplicates += got.length - 1;
      for (const message of got) {
        if (message.receivedAt < a.sendAt) early += 1;
        maxLatenessMs = Math.max(maxLatenessMs, message.receivedAt - a.sendAt);
      }
    }
    const generation = await replayIntoNewGeneration(this.pool, this.store);
    const differences = await countDifferences(
      this.pool,
      'read_model',
      `read_model_g${generation}`,
    );
    await this.pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    const report = {
      acknowledged: this.acknowledged.size,
      delivered: this.sink.messages.length,
      duplicates,
      inDoubt: inDoubt.size,
      inDoubtDuplicates,
      early,
      maxLatenessMs,
      differences,
    };
    expect({ duplicates, early, differences }).toEqual({ duplicates: 0, early: 0, differences: 0 });
    return report;
  }

  /** Events in the category (all streams). */
  async eventCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM event_store.events',
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
    await this.sink.stop();
    await this.store?.close();
    await this.pool?.end();
    if (this.redis) {
      await this.redis.flushdb().catch(() => undefined);
      this.redis.disconnect();
    }
    await this.database?.drop();
  }
}

export interface InvariantReport {
  readonly acknowledged: number;
  readonly delivered: number;
  readonly duplicates: number;
  /** Emails whose attempt was resolved in doubt, and the duplicates their documented resend made. */
  readonly inDoubt: number;
  readonly inDoubtDuplicates: number;
  readonly early: number;
  readonly maxLatenessMs: number;
  readonly differences: number;
}
