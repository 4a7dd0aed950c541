import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { createEventStore, type EventStore } from '@app/event-store';
import { EVENT_STORE, parseConfig, type Environment } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { AppModule } from '../app.module';
import { configureHttp } from '../common/configure-http';

/** The bootstrap admin key the integration suites authenticate with unless told otherwise. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface ApiOptions {
  /** Variables over the defaults; `undefined` or '' unsets one (parseConfig reads both as unset). */
  readonly env?: Environment;
  /** Prefix of the database created for the suite. */
  readonly name?: string;
  /** Boot on this database instead of a new one (a restart); close() then leaves it in place. */
  readonly database?: TestDatabase;
  /** ADMIN_API_KEY and the key call() sends by default; null boots without one. */
  readonly adminKey?: string | null;
  /** configureHttp's options, or false for a bare Nest app (no body limit, no /docs). */
  readonly http?: false | Parameters<typeof configureHttp>[1];
  /** Runs on the app before configureHttp, e.g. useSecurityHeaders as main.ts does. */
  readonly configure?: (app: INestApplication) => void;
  /** Puts the app's event store behind another (a MeetingStore that makes requests meet at one revision). */
  readonly wrapStore?: (store: EventStore) => EventStore;
}

export interface CallOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent verbatim as application/json (malformed JSON, say); `headers` can change the type. */
  readonly raw?: string;
  /** Sent as multipart/form-data. */
  readonly form?: FormData;
  readonly headers?: Record<string, string>;
  /** The bearer key; the harness's admin key when omitted, no authorization header when null. */
  readonly key?: string | null;
  readonly timeoutMs?: number;
}

export interface ApiReply<Body> {
  readonly status: number;
  readonly headers: Headers;
  /** The body as sent. */
  readonly text: string;
  /** The body parsed: {} when empty, the text itself when it is not JSON (/metrics, /docs). */
  readonly body: Body;
}

export interface ApiHarness<Body = Record<string, unknown>> {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly database: TestDatabase;
  /** A connection of the harness's own to the suite's database. */
  readonly sql: Client;
  readonly adminKey: string | null;
  call(method: string, path: string, options?: CallOptions): Promise<ApiReply<Body>>;
  /** Events in the store, or in one stream. */
  eventCount(streamName?: string): Promise<number>;
  /** Closes the connection and the app, and drops the database if the harness created it. */
  close(): Promise<void>;
}

/** A valid POST /v1/emails body, due in an hour, with `overrides` over it. */
export function emailBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 'sender@example.com',
    to: ['alice@example.com'],
    subject: 'Hello',
    text: 'Hi there',
    sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

function parse(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The real AppModule, as the integration suites boot it: on a database of its own (or the one
 * given), real Redis, listening on a free loopback port.
 */
export async function startApi<Body = Record<string, unknown>>(
  options: ApiOptions = {},
): Promise<ApiHarness<Body>> {
  const adminKey = options.adminKey === undefined ? TEST_ADMIN_KEY : options.adminKey;
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase(options.name ?? 'api'));
  let app: INestApplication | undefined;
  let sql: Client | undefined;

  const close = async (): Promise<void> => {
    await sql?.end();
    await app?.close();
    if (ownsDatabase) await database.drop();
  };

  try {
    const config = parseConfig({
      DATABASE_URL: database.url,
      REDIS_URL,
      LOG_LEVEL: 'silent',
      ADMIN_API_KEY: adminKey ?? undefined,
      API_RATE_LIMIT: '1000000',
      SIGN_IN_RATE_LIMIT: '1000000',
      ...options.env,
    });
    const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
    const { wrapStore } = options;
    if (wrapStore) {
      builder.overrideProvider(EVENT_STORE).useFactory({
        factory: async () =>
          wrapStore(
            await createEventStore({ url: config.eventStoreUrl, databaseUrl: config.databaseUrl }),
          ),
      });
    }
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication({ logger: false });
    options.configure?.(app);
    if (options.http !== false) configureHttp(app, options.http);
    await app.listen(0, '127.0.0.1');
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = sql;

  return {
    app,
    baseUrl,
    database,
    sql: client,
    adminKey,
    async call(method, path, callOptions = {}) {
      const key = callOptions.key === undefined ? adminKey : callOptions.key;
      const json = callOptions.body !== undefined || callOptions.raw !== undefined;
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...callOptions.headers,
        },
        body:
          callOptions.form ??
          callOptions.raw ??
          (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body)),
        signal: AbortSignal.timeout(callOptions.timeoutMs ?? 15_000),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: parse(text) as Body,
      };
    },
    async eventCount(streamName) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM event_store.events WHERE $1::text IS NULL OR stream_name = $1`,
        [streamName ?? null],
      );
      return Number(rows[0]?.n ?? 0);
    },
    close,
  };
}
