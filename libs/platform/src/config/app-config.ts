import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_MAX_IN_DOUBT_RESENDS } from '@app/domain';
import { isReservedTenantId, RESERVED_TENANT_IDS } from '@app/tenants';
import { RedisUrlError, parseRedisUrl } from '../redis/redis-url';
import { parseDuration, parseDurationList } from './duration';

/** The environment as it reaches us: every value a string, or absent. */
export type Environment = Readonly<Record<string, string | undefined>>;

export type InDoubtPolicy = 'resend' | 'fail';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `pretty`: pino-pretty's coloured lines, for a person at a terminal; `json`: an object a line. */
export type LogFormat = 'json' | 'pretty';

/** What the process knows of itself that its environment does not say. */
export interface ProcessFacts {
  /** Whether stdout is a terminal: LOG_FORMAT's default when NODE_ENV is not production. */
  readonly stdoutIsTty: boolean;
}

/**
 * The deployment's default per-tenant limits, each a count (0 = unlimited). The same names as `TenantLimits`
 * in `@app/tenants`, which an admin's override of a tenant replaces one by one.
 */
export interface TenantLimitDefaults {
  /** Emails accepted for scheduling per calendar minute, hour and day (UTC), counted in emails. */
  readonly emailsPerMinute: number;
  readonly emailsPerHour: number;
  readonly emailsPerDay: number;
  /** Emails scheduled and not yet final, and the UTF-8 bytes of their subject, text and html. */
  readonly pendingEmails: number;
  readonly pendingBytes: number;
  /** Worker sends per RATE_LIMIT_WINDOW_MS over all of a tenant's senders, and per (tenant, from address). */
  readonly sendsPerWindow: number;
  readonly sendsPerWindowPerSender: number;
}

/** The validated configuration every app boots from. Frozen; read it, never write it. */
export interface AppConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Unset: the Postgres event store on `databaseUrl`. */
  readonly eventStoreUrl: string | undefined;
  /** Unset: the worker sends to the local mail catcher on `mailCatcherPort`. */
  readonly smtpUrl: string | undefined;
  /** The loopback port the mail catcher listens on, and the worker sends to when SMTP_URL is unset. */
  readonly mailCatcherPort: number;
  readonly adminApiKey: string | undefined;
  readonly workerConcurrency: number;
  /** Every tenant's limits unless an admin overrides them (`@app/tenants` TenantLimits); 0 = unlimited. */
  readonly tenantLimits: TenantLimitDefaults;
  /** 0 = unlimited. */
  readonly globalRateLimitPerHour: number;
  readonly minSendGapMs: number;
  /** The window the "per hour" limits count over: an hour in production, shorter in tests. */
  readonly rateLimitWindowMs: number;
  readonly inDoubtPolicy: InDoubtPolicy;
  /** In-doubt attempts of one email resent (under 'resend') before it fails for review. */
  readonly inDoubtMaxResends: number;
  /** How long a claimed send attempt may run before it counts as in doubt. */
  readonly workerLeaseMs: number;
  /** How far ahead the scheduler keeps jobs in Redis; later due times wait in the Postgres due index. */
  readonly schedulerWindowMs: number;
  /** How far a worker's host clock may stray from Redis's before the worker stops taking jobs. */
  readonly maxClockSkewMs: number;
  /** Connections the worker's pooled SMTP transport keeps open to the relay. */
  readonly smtpPoolSize: number;
  /** First retry delay after a transient failure; later ones grow ×4 (with jitter) up to an hour. */
  readonly retryBaseDelayMs: number;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Requests one API key (or, unauthenticated, one client IP) may make per window. */
  readonly apiRateLimit: number;
  readonly apiRateLimitWindowMs: number;
  /** Worker and projector: the port of their `/metrics` listener; unset: none. */
  readonly metricsPort: number | undefined;
  /** Dashboard sign-in with OpenID Connect; undefined when OIDC_ISSUER is unset. */
  readonly oidc: OidcConfig | undefined;
  /** How long a dashboard session lasts from sign-in. */
  readonly sessionTtlMs: number;
  /** The built dashboard the api serves at `/` (relative to the working directory). */
  readonly dashboardDir: string;
  /**
   * Express `trust proxy`: the peers (IPs, CIDRs, or proxy-addr's presets `loopback`, `linklocal`,
   * `uniquelocal`) whose X-Forwarded-For/-Proto are believed. Empty: none, the socket decides.
   */
  readonly trustedProxies: readonly string[];
  /** Session cookies always `Secure` (and `__Host-` named), for TLS ended at a proxy. */
  readonly sessionCookieSecure: boolean;
  /** Sign-in attempts (POST /v1/session, the OIDC login and callback) one client IP may make per window. */
  readonly signInRateLimit: number;
  readonly signInRateLimitWindowMs: number;
  /** The address the api listens on: loopback unless told otherwise (a container says 0.0.0.0). */
  readonly host: string;
  /** The address of the worker's and projector's METRICS_PORT listener: loopback by default. */
  readonly metricsHost: string;
  /** The bearer token the api's own `/metrics` asks for; unset: the api serves no `/metrics`. */
  readonly metricsToken: string | undefined;
  /** Whether the api serves the Swagger UI and document at `/docs` and `/docs-json`. */
  readonly apiDocs: boolean;
  /** How long one CSV upload may take to arrive; then it is cut off (408). */
  readonly importTimeoutMs: number;
  /** CSV imports one API key (or session) may run at once, across api processes (then 429). */
  readonly importsPerKey: number;
  /** Outcome webhooks (docs/WEBHOOKS.md): how the dispatcher delivers, and the api checks endpoint URLs. */
  readonly webhooks: WebhookConfig;
  /** Recurring sends (ADR 0009): the worker's occurrence runner, and the api's shortest allowed interval. */
  readonly recurrence: RecurrenceConfig;
  /** How long attachment bytes outlive their email, and how often each worker's janitor looks. */
  readonly attachments: AttachmentsConfig;
}

/** ATTACHMENT_* variables: the purge of attachments' bytes after their email became final. */
export interface AttachmentsConfig {
  /** The bytes are deleted this long after the email became final (sent, failed, cancelled, expired). */
  readonly retentionMs: number;
  /** How often each worker looks for emails whose attachments are due for purge. */
  readonly purgeIntervalMs: number;
}

/** How the occurrence runner works (RECURRENCE_* variables) and how often a schedule may fire. */
export interface RecurrenceConfig {
  /** How often each worker looks for due occurrences. */
  readonly pollMs: number;
  /** An occurrence's email is created this long before it (it is sent at the occurrence, not then). */
  readonly leadMs: number;
  /** An occurrence found later than this after it is "missed": the schedule's catchUp policy decides. */
  readonly graceMs: number;
  /** The shortest gap between two occurrences a new schedule may ask for. */
  readonly minIntervalMs: number;
}

/** How webhooks are delivered (WEBHOOK_* and WEBHOOKS_* variables). */
export interface WebhookConfig {
  /** Endpoint URLs may resolve to loopback, private and link-local addresses (tests, a closed network). */
  readonly allowPrivateNetworks: boolean;
  /** One attempt, connect to last byte of the response. */
  readonly timeoutMs: number;
  /** After the first attempt, one more after each delay (jittered); then the delivery is failed. */
  readonly retryDelaysMs: readonly number[];
  /** An endpoint whose attempts have all failed for this long is disabled. */
  readonly disableAfterMs: number;
  /** Attempts one dispatcher has in flight at once. */
  readonly concurrency: number;
  /** Attempts in flight to one endpoint, over all dispatchers: a slow endpoint never takes every slot. */
  readonly endpointConcurrency: number;
  /** How long a rotated-out secret still signs beside the new one (the api's rotate-secret). */
  readonly secretOverlapMs: number;
}

/**
 * OpenID Connect sign-in (authorization code + PKCE) and how a signed-in person maps to a role and
 * tenant: an address in `adminEmails` is an admin; otherwise the domain of the verified email
 * picks the tenant from `tenantDomains` and the role is sender; anyone else is refused.
 */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The api's `/v1/auth/oidc/callback` as the browser reaches it, registered with the provider. */
  readonly redirectUrl: string;
  /** Lower-cased addresses. */
  readonly adminEmails: readonly string[];
  /** Lower-cased email domain → tenant id. */
  readonly tenantDomains: ReadonlyMap<string, string>;
  /** Google Workspace domain: sent as `hd`, and the ID token's `hd` claim must equal it. */
  readonly hostedDomain: string | undefined;
}

/** The environment failed validation; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;
const IN_DOUBT_POLICIES = ['resend', 'fail'] as const;
const EVENTSTORE_SCHEMES = ['esdb://', 'esdb+discover://', 'kurrentdb://', 'kurrentdb+discover://'];

/** Variables whose values are secrets or may carry credentials: never echoed verbatim. */
const SECRET_VARIABLES = new Set(['ADMIN_API_KEY', 'OIDC_CLIENT_SECRET', 'METRICS_TOKEN']);
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'EVENTSTORE_URL', 'SMTP_URL']);

type Ctx = z.core.$RefinementCtx<string | undefined>;

function fail(ctx: Ctx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/** An integer in [min, max]; `fallback` when unset (`undefined` keeps it unset). */
function integer<const Fallback extends number | undefined>(
  min: number,
  max: number,
  fallback: Fallback,
) {
  const expected =
    max === Number.MAX_SAFE_INTEGER
      ? `expected an integer ≥ ${min}`
      : `expected an integer between ${min} and ${max}`;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | Fallback => {
      if (raw === undefined) return fallback;
      if (!/^\d+$/.test(raw.trim())) return fail(ctx, expected);
      const value = Number(raw.trim());
      if (!Number.isSafeInteger(value) || value < min || value > max) return fail(ctx, expected);
      return value;
    });
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function url(protocols: readonly string[], describe: string) {
  const expected = `expected ${describe}`;
  return z
    .string()
    .transform((raw, ctx): string => {
      const parsed = parseUrl(raw.trim());
      if (!parsed || !protocols.includes(parsed.protocol) || !parsed.hostname) {
        return fail(ctx, expected);
      }
      return raw.trim();
    })
    .optional();
}

const redisUrl = z
  .string()
  .optional()
  .transform((raw, ctx): string => {
    if (raw === undefined) return 'redis://127.0.0.1:6379/0';
    try {
      parseRedisUrl(raw);
    } catch (error) {
      if (error instanceof RedisUrlError) return fail(ctx, error.message);
      throw error;
    }
    return raw.trim();
  });

/** Substrings (compared without case, `-`, `_`, `.` or spaces) that mark a value as a placeholder. */
const PLACEHOLDER_WORDS = ['changeme', 'replaceme', 'placeholder', 'example'];
/** Fewer distinct characters than this is a pattern, not a secret (random hex has about 14 in 32). */
const MIN_DISTINCT_KEY_CHARACTERS = 8;

/**
 * Why ADMIN_API_KEY is too weak to bootstrap an admin, or undefined: shorter than 32 characters,
 * fewer than 8 distinct characters (`aaaa…`, `abab…`), or a placeholder (`change-me`, `example`,
 * the old compose default `local-admin-key-change-me-0123456789abcdef`). Kept simple on purpose:
 * it refuses the values people paste from docs, not every guessable one.
 */
function weakAdminKeyReason(key: string): string | undefined {
  if (key.length < 32) return 'expected at least 32 characters';
  if (new Set(key).size < MIN_DISTINCT_KEY_CHARACTERS) {
    return `expected at least ${MIN_DISTINCT_KEY_CHARACTERS} different characters (a random value)`;
  }
  const folded = key.toLowerCase().replace(/[-_. ]/g, '');
  const word = PLACEHOLDER_WORDS.find((placeholder) => folded.includes(placeholder));
  if (word !== undefined) return `expected a random value, not a placeholder ("${word}")`;
  return undefined;
}

/** proxy-addr's named ranges, accepted in TRUSTED_PROXIES as they are. */
const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A TRUSTED_PROXIES item: a preset, an IP address, or a CIDR (`10.0.0.0/8`, `fd00::/8`). */
function proxyItem(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (PROXY_PRESETS.has(lower)) return lower;
  const [address = '', prefix, ...rest] = lower.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return undefined;
  if (prefix === undefined) return lower;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128) ? lower : undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL; plain http only on a loopback host (a provider or dashboard on this machine). */
function webUrl() {
  const expected = 'expected an https:// URL (http:// only on localhost or 127.0.0.1)';
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined) return undefined;
      const parsed = parseUrl(raw.trim());
      if (!parsed || !parsed.hostname) return fail(ctx, expected);
      const loopback = LOOPBACK_HOSTS.has(parsed.hostname) || parsed.hostname.startsWith('127.');
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
        return fail(ctx, expected);
      }
      return raw.trim();
    });
}

/** Comma-separated items, trimmed, empty ones dropped. */
function list<T>(describe: string, item: (text: string) => T | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[] => {
      const items: T[] = [];
      for (const text of (raw ?? '').split(',').map((part) => part.trim())) {
        if (text === '') continue;
        const parsed = item(text);
        if (parsed === undefined)
          return fail(ctx, `expected ${describe}; ${JSON.stringify(text)} is not`);
        items.push(parsed);
      }
      return items;
    });
}

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** The api's tenant id rule (1–64 letters, digits, _ or -). */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One of `values` (case-insensitive); `fallback` when unset (`undefined` keeps it unset). */
function oneOf<
  const T extends readonly [string, ...string[]],
  const Fallback extends T[number] | undefined,
>(values: T, fallback: Fallback) {
  const expected = `expected one of ${values.join(', ')}`;
  const isOneOf = (value: string): value is T[number] => values.includes(value);
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] | Fallback => {
      if (raw === undefined) return fallback;
      const value = raw.trim().toLowerCase();
      return isOneOf(value) ? value : fail(ctx, expected);
    });
}

/** An address to listen on: an IPv4 or IPv6 address, or a host name. */
function host(fallback: string) {
  const expected = 'expected an IP address (127.0.0.1, 0.0.0.0, ::) or a host name';
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      if (raw === undefined) return fallback;
      const value = raw.trim();
      const hostName =
        /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
      return isIP(value) !== 0 || hostName.test(value) ? value : fail(ctx, expected);
    });
}

/** A duration (`5s`, `10m`, `5d`, parseDuration) from `minMs` to `maxMs`; `fallback` when unset. */
function duration(minMs: number, fallback: string, maxMs = Number.MAX_SAFE_INTEGER) {
  const expected =
    maxMs === Number.MAX_SAFE_INTEGER
      ? `expected a duration such as 30s, 10m, 5d (at least ${minMs} ms)`
      : `expected a duration such as 30s, 10m, 5d (from ${minMs} ms to ${maxMs} ms)`;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      const ms = parseDuration(raw ?? fallback);
      return ms !== undefined && ms >= minMs && ms <= maxMs ? ms : fail(ctx, expected);
    });
}

/** `true` or `false` (also 1/0, yes/no), case-insensitive; `fallback` when unset. */
function flag<const Fallback extends boolean | undefined>(fallback: Fallback) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean | Fallback => {
      if (raw === undefined) return fallback;
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      return fail(ctx, 'expected true or false');
    });
}

const environmentSchema = z.object({
  PORT: integer(1, 65535, 3000),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL').transform(
    (value) => value ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  ),
  REDIS_URL: redisUrl,
  EVENTSTORE_URL: z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined) return undefined;
      const value = raw.trim();
      const scheme = EVENTSTORE_SCHEMES.find((prefix) => value.startsWith(prefix));
      if (!scheme || value.length === scheme.length) {
        return fail(ctx, `expected a URL starting with ${EVENTSTORE_SCHEMES.join(', ')}`);
      }
      return value;
    }),
  SMTP_URL: url(['smtp:', 'smtps:'], 'an smtp:// or smtps:// URL'),
  MAIL_CATCHER_PORT: integer(1, 65535, 2525),
  ADMIN_API_KEY: z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined) return undefined;
      const weakness = weakAdminKeyReason(raw);
      return weakness === undefined ? raw : fail(ctx, weakness);
    }),
  WORKER_CONCURRENCY: integer(1, 256, 50),
  // Per-tenant limits (docs/OPERATIONS.md, "Quotas and limits"): the defaults every tenant gets unless an
  // admin overrides them with PUT /v1/admin/tenants/:tenantId/limits; 0 = unlimited. The api refuses what is
  // over the email quotas with a 429; the worker defers what is over the send rates.
  TENANT_EMAILS_PER_MINUTE: integer(0, Number.MAX_SAFE_INTEGER, 10_000),
  TENANT_EMAILS_PER_HOUR: integer(0, Number.MAX_SAFE_INTEGER, 100_000),
  TENANT_EMAILS_PER_DAY: integer(0, Number.MAX_SAFE_INTEGER, 1_000_000),
  TENANT_PENDING_EMAILS: integer(0, Number.MAX_SAFE_INTEGER, 1_000_000),
  TENANT_PENDING_BYTES: integer(0, Number.MAX_SAFE_INTEGER, 10_000_000_000),
  // Per RATE_LIMIT_WINDOW_MS, like the other send rates: one tenant's burst cannot take every slot.
  TENANT_RATE_LIMIT_PER_HOUR: integer(0, Number.MAX_SAFE_INTEGER, 10_000),
  // Per (tenant, from address): one tenant cannot use up another's slots for the same address.
  SENDER_RATE_LIMIT_PER_HOUR: integer(0, Number.MAX_SAFE_INTEGER, 50),
  GLOBAL_RATE_LIMIT_PER_HOUR: integer(0, Number.MAX_SAFE_INTEGER, 0),
  MIN_SEND_GAP_MS: integer(0, Number.MAX_SAFE_INTEGER, 0),
  RATE_LIMIT_WINDOW_MS: integer(1, Number.MAX_SAFE_INTEGER, 3_600_000),
  IN_DOUBT_POLICY: oneOf(IN_DOUBT_POLICIES, 'resend'),
  IN_DOUBT_MAX_RESENDS: integer(0, 100, DEFAULT_MAX_IN_DOUBT_RESENDS),
  WORKER_LEASE_MS: integer(1000, 3_600_000, 60_000),
  SCHEDULER_WINDOW_MS: integer(10_000, 86_400_000, 300_000),
  MAX_CLOCK_SKEW_MS: integer(10, 3_600_000, 1_000),
  RECURRENCE_POLL_MS: integer(50, 60_000, 1_000),
  ATTACHMENT_RETENTION_MS: integer(0, 10 * 365 * 86_400_000, 30 * 86_400_000),
  ATTACHMENT_PURGE_INTERVAL_MS: integer(50, 86_400_000, 3_600_000),
  RECURRENCE_LEAD_MS: integer(0, 3_600_000, 60_000),
  RECURRENCE_GRACE_MS: integer(1_000, 86_400_000, 60_000),
  SCHEDULE_MIN_INTERVAL_MS: integer(1_000, 86_400_000, 60_000),
  SMTP_POOL_SIZE: integer(1, 100, 5),
  RETRY_BASE_DELAY_MS: integer(1, 3_600_000, 30_000),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  // Unset: chosen from NODE_ENV and the terminal once the environment has parsed (parseConfig).
  LOG_FORMAT: oneOf(LOG_FORMATS, undefined),
  NODE_ENV: z.string().optional(),
  API_RATE_LIMIT: integer(1, Number.MAX_SAFE_INTEGER, 100),
  API_RATE_LIMIT_WINDOW_MS: integer(1, Number.MAX_SAFE_INTEGER, 1000),
  METRICS_PORT: integer(1, 65535, undefined),
  OIDC_ISSUER: webUrl(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URL: webUrl(),
  OIDC_ADMIN_EMAILS: list('email addresses separated by commas', (text) =>
    EMAIL.test(text) ? text.toLowerCase() : undefined,
  ),
  // A reserved tenant is refused as a sender key's is: people signing in would write as the service.
  OIDC_TENANT_DOMAINS: list(
    `domain=tenant pairs separated by commas, no tenant one of the reserved ${RESERVED_TENANT_IDS.join(', ')}`,
    (text) => {
      const [domain, tenant, ...rest] = text.split('=').map((part) => part.trim());
      if (rest.length > 0 || !domain || !tenant) return undefined;
      if (!DOMAIN.test(domain.toLowerCase()) || !TENANT_ID.test(tenant)) return undefined;
      if (isReservedTenantId(tenant)) return undefined;
      return [domain.toLowerCase(), tenant] as const;
    },
  ),
  OIDC_HOSTED_DOMAIN: z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined) return undefined;
      const domain = raw.trim().toLowerCase();
      return DOMAIN.test(domain) ? domain : fail(ctx, 'expected a domain such as example.com');
    }),
  SESSION_TTL_MS: integer(60_000, 30 * 24 * 3_600_000, 8 * 3_600_000),
  DASHBOARD_DIR: z
    .string()
    .optional()
    .transform((raw) => raw?.trim() ?? 'dist/dashboard'),
  // Who is believed about the client's address and scheme, and how sign-in is protected.
  TRUSTED_PROXIES: list(
    'IP addresses, CIDRs or loopback/linklocal/uniquelocal separated by commas',
    proxyItem,
  ),
  SESSION_COOKIE_SECURE: flag(false),
  SIGN_IN_RATE_LIMIT: integer(1, Number.MAX_SAFE_INTEGER, 10),
  SIGN_IN_RATE_LIMIT_WINDOW_MS: integer(1, Number.MAX_SAFE_INTEGER, 60_000),
  // What a listener exposes and to whom (SECURITY.md): every listener binds loopback unless told
  // otherwise, the api's /metrics needs a token, /docs can be switched off, CSV imports are bounded.
  HOST: host('127.0.0.1'),
  METRICS_HOST: host('127.0.0.1'),
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined) return undefined;
      return raw.length >= 32 ? raw : fail(ctx, 'expected at least 32 characters');
    }),
  // Unset: on, except under NODE_ENV=production (parseConfig), where an operator opts in.
  API_DOCS: flag(undefined),
  IMPORT_TIMEOUT_MS: integer(1000, 3_600_000, 600_000),
  IMPORTS_PER_KEY: integer(1, 1000, 2),
  // Outcome webhooks (docs/WEBHOOKS.md): the dispatcher's delivery, retries and endpoint disabling;
  // private networks off, so an endpoint URL cannot reach the service's own network (SSRF); the overlap: how
  // long a receiver may still verify with the old secret.
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: flag(false),
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000, 5_000),
  WEBHOOK_RETRY_DELAYS: z
    .string()
    .optional()
    .transform(
      (raw, ctx): number[] =>
        parseDurationList(raw ?? '5s,1m,10m,1h,6h,1d') ??
        fail(ctx, 'expected durations separated by commas, such as 5s,1m,10m,1h,6h,1d'),
    ),
  WEBHOOK_SECRET_OVERLAP: duration(0, '24h', 30 * 86_400_000),
  WEBHOOKS_DISABLE_AFTER: duration(1_000, '5d'),
  WEBHOOK_CONCURRENCY: integer(1, 1024, 16),
  WEBHOOK_ENDPOINT_CONCURRENCY: integer(1, 256, 4),
});

/** With OIDC_ISSUER set, sign-in needs the client's id, secret and redirect URL too. */
const OIDC_REQUIRED = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

type Variable = keyof typeof environmentSchema.shape;
const VARIABLES = Object.keys(environmentSchema.shape) as Variable[];

/** How a bad value is shown in the error: verbatim, except secrets and credentials. */
function describeValue(variable: string, raw: string | undefined): string {
  if (raw === undefined) return 'nothing';
  if (SECRET_VARIABLES.has(variable)) return `${raw.length} characters`;
  if (URL_VARIABLES.has(variable)) {
    return JSON.stringify(
      raw
        .replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@')
        .replace(/([?&]sentinelPassword=)[^&#]*/, '$1***'),
    );
  }
  return JSON.stringify(raw);
}

/**
 * Validates an environment and returns the frozen configuration, or throws a ConfigError naming
 * every bad variable. An empty string counts as unset, so `PORT=` means the default. `facts`
 * defaults to a process whose stdout is no terminal (a pipe, a file, a container's log).
 */
export function parseConfig(
  env: Environment,
  facts: ProcessFacts = { stdoutIsTty: false },
): AppConfig {
  const raw: Partial<Record<Variable, string>> = {};
  for (const variable of VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[variable] = value;
  }

  const result = environmentSchema.safeParse(raw);
  const production = raw.NODE_ENV?.trim() === 'production';
  const crossIssues = [
    ...(raw.OIDC_ISSUER === undefined
      ? []
      : OIDC_REQUIRED.filter((variable) => raw[variable] === undefined).map((variable) => ({
          path: [variable],
          message: 'expected a value when OIDC_ISSUER is set',
        }))),
    // pino-pretty is a development dependency: a production install (the image) has none.
    ...(production && raw.LOG_FORMAT?.trim().toLowerCase() === 'pretty'
      ? [{ path: ['LOG_FORMAT'], message: 'expected json when NODE_ENV=production' }]
      : []),
  ];
  if (!result.success || crossIssues.length > 0) {
    const problems = new Map<string, string>();
    for (const issue of [...(result.error?.issues ?? []), ...crossIssues]) {
      const variable = String(issue.path[0] ?? '(environment)');
      if (problems.has(variable)) continue;
      const value = describeValue(variable, raw[variable as Variable]);
      problems.set(variable, `${variable}: ${issue.message}, got ${value}`);
    }
    throw new ConfigError([...problems.values()]);
  }

  const e = result.data;
  if (e === undefined) throw new ConfigError(['(environment): invalid']);
  const oidc: OidcConfig | undefined =
    e.OIDC_ISSUER === undefined
      ? undefined
      : Object.freeze({
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID ?? '',
          clientSecret: e.OIDC_CLIENT_SECRET ?? '',
          redirectUrl: e.OIDC_REDIRECT_URL ?? '',
          adminEmails: Object.freeze(e.OIDC_ADMIN_EMAILS),
          tenantDomains: new Map(e.OIDC_TENANT_DOMAINS),
          hostedDomain: e.OIDC_HOSTED_DOMAIN,
        });
  return Object.freeze({
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    eventStoreUrl: e.EVENTSTORE_URL,
    smtpUrl: e.SMTP_URL,
    mailCatcherPort: e.MAIL_CATCHER_PORT,
    adminApiKey: e.ADMIN_API_KEY,
    workerConcurrency: e.WORKER_CONCURRENCY,
    tenantLimits: Object.freeze({
      emailsPerMinute: e.TENANT_EMAILS_PER_MINUTE,
      emailsPerHour: e.TENANT_EMAILS_PER_HOUR,
      emailsPerDay: e.TENANT_EMAILS_PER_DAY,
      pendingEmails: e.TENANT_PENDING_EMAILS,
      pendingBytes: e.TENANT_PENDING_BYTES,
      sendsPerWindow: e.TENANT_RATE_LIMIT_PER_HOUR,
      sendsPerWindowPerSender: e.SENDER_RATE_LIMIT_PER_HOUR,
    }),
    globalRateLimitPerHour: e.GLOBAL_RATE_LIMIT_PER_HOUR,
    minSendGapMs: e.MIN_SEND_GAP_MS,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    inDoubtPolicy: e.IN_DOUBT_POLICY,
    inDoubtMaxResends: e.IN_DOUBT_MAX_RESENDS,
    workerLeaseMs: e.WORKER_LEASE_MS,
    schedulerWindowMs: e.SCHEDULER_WINDOW_MS,
    maxClockSkewMs: e.MAX_CLOCK_SKEW_MS,
    smtpPoolSize: e.SMTP_POOL_SIZE,
    retryBaseDelayMs: e.RETRY_BASE_DELAY_MS,
    logLevel: e.LOG_LEVEL,
    // A person at a terminal reads lines; anything else (and production, always) gets JSON.
    logFormat: e.LOG_FORMAT ?? (facts.stdoutIsTty && !production ? 'pretty' : 'json'),
    apiRateLimit: e.API_RATE_LIMIT,
    apiRateLimitWindowMs: e.API_RATE_LIMIT_WINDOW_MS,
    metricsPort: e.METRICS_PORT,
    oidc,
    sessionTtlMs: e.SESSION_TTL_MS,
    dashboardDir: e.DASHBOARD_DIR,
    trustedProxies: Object.freeze(e.TRUSTED_PROXIES),
    sessionCookieSecure: e.SESSION_COOKIE_SECURE,
    signInRateLimit: e.SIGN_IN_RATE_LIMIT,
    signInRateLimitWindowMs: e.SIGN_IN_RATE_LIMIT_WINDOW_MS,
    host: e.HOST,
    metricsHost: e.METRICS_HOST,
    metricsToken: e.METRICS_TOKEN,
    apiDocs: e.API_DOCS ?? !production,
    importTimeoutMs: e.IMPORT_TIMEOUT_MS,
    importsPerKey: e.IMPORTS_PER_KEY,
    webhooks: Object.freeze({
      allowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryDelaysMs: Object.freeze(e.WEBHOOK_RETRY_DELAYS),
      disableAfterMs: e.WEBHOOKS_DISABLE_AFTER,
      concurrency: e.WEBHOOK_CONCURRENCY,
      endpointConcurrency: e.WEBHOOK_ENDPOINT_CONCURRENCY,
      secretOverlapMs: e.WEBHOOK_SECRET_OVERLAP,
    }),
    recurrence: Object.freeze({
      pollMs: e.RECURRENCE_POLL_MS,
      leadMs: e.RECURRENCE_LEAD_MS,
      graceMs: e.RECURRENCE_GRACE_MS,
      minIntervalMs: e.SCHEDULE_MIN_INTERVAL_MS,
    }),
    attachments: Object.freeze({
      retentionMs: e.ATTACHMENT_RETENTION_MS,
      purgeIntervalMs: e.ATTACHMENT_PURGE_INTERVAL_MS,
    }),
  });
}
