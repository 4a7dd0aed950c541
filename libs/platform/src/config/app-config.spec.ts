import { ConfigError, parseConfig, type Environment } from './app-config';

function configError(env: Environment): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(parseConfig({})).toEqual({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379/0',
      eventStoreUrl: undefined,
      smtpUrl: undefined,
      mailCatcherPort: 2525,
      adminApiKey: undefined,
      workerConcurrency: 50,
      tenantLimits: {
        emailsPerMinute: 10_000,
        emailsPerHour: 100_000,
        emailsPerDay: 1_000_000,
        pendingEmails: 1_000_000,
        pendingBytes: 10_000_000_000,
        sendsPerWindow: 10_000,
        sendsPerWindowPerSender: 50,
      },
      globalRateLimitPerHour: 0,
      minSendGapMs: 0,
      rateLimitWindowMs: 3_600_000,
      inDoubtPolicy: 'resend',
      inDoubtMaxResends: 3,
      workerLeaseMs: 60_000,
      schedulerWindowMs: 300_000,
      maxClockSkewMs: 1_000,
      smtpPoolSize: 5,
      retryBaseDelayMs: 30_000,
      logLevel: 'info',
      logFormat: 'json',
      apiRateLimit: 100,
      apiRateLimitWindowMs: 1000,
      metricsPort: undefined,
      oidc: undefined,
      sessionTtlMs: 28_800_000,
      dashboardDir: 'dist/dashboard',
      trustedProxies: [],
      sessionCookieSecure: false,
      signInRateLimit: 10,
      signInRateLimitWindowMs: 60_000,
      host: '127.0.0.1',
      metricsHost: '127.0.0.1',
      metricsToken: undefined,
      apiDocs: true,
      importTimeoutMs: 600_000,
      importsPerKey: 2,
      webhooks: {
        allowPrivateNetworks: false,
        timeoutMs: 5_000,
        retryDelaysMs: [5_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000],
        disableAfterMs: 432_000_000,
        concurrency: 16,
        endpointConcurrency: 4,
        secretOverlapMs: 86_400_000,
      },
      recurrence: { pollMs: 1_000, leadMs: 60_000, graceMs: 60_000, minIntervalMs: 60_000 },
      attachments: { retentionMs: 2_592_000_000, purgeIntervalMs: 3_600_000 },
    });
  });

  it('reads a complete, valid environment', () => {
    const config = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:secret@db.internal:5433/mail',
      REDIS_URL: 'rediss://cache.internal:6380/4',
      EVENTSTORE_URL: 'kurrentdb+discover://admin:changeit@cluster.internal:2113?tls=true',
      SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
      MAIL_CATCHER_PORT: '2600',
      ADMIN_API_KEY: 'Xq7vK2mR9tLp4Wz8Hc3Nf6Bd1Gy5Js0A',
      WORKER_CONCURRENCY: '256',
      TENANT_EMAILS_PER_MINUTE: '1',
      TENANT_EMAILS_PER_HOUR: '2',
      TENANT_EMAILS_PER_DAY: '3',
      TENANT_PENDING_EMAILS: '4',
      TENANT_PENDING_BYTES: '5',
      TENANT_RATE_LIMIT_PER_HOUR: '0',
      SENDER_RATE_LIMIT_PER_HOUR: '0',
      GLOBAL_RATE_LIMIT_PER_HOUR: '10000',
      MIN_SEND_GAP_MS: '250',
      RATE_LIMIT_WINDOW_MS: '2000',
      IN_DOUBT_POLICY: 'fail',
      IN_DOUBT_MAX_RESENDS: '5',
      WORKER_LEASE_MS: '5000',
      SCHEDULER_WINDOW_MS: '60000',
      RECURRENCE_POLL_MS: '200',
      RECURRENCE_LEAD_MS: '5000',
      RECURRENCE_GRACE_MS: '2000',
      ATTACHMENT_RETENTION_MS: '86400000',
      ATTACHMENT_PURGE_INTERVAL_MS: '60000',
      SCHEDULE_MIN_INTERVAL_MS: '1000',
      MAX_CLOCK_SKEW_MS: '250',
      SMTP_POOL_SIZE: '2',
      RETRY_BASE_DELAY_MS: '100',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      API_RATE_LIMIT: '20',
      API_RATE_LIMIT_WINDOW_MS: '60000',
      METRICS_PORT: '9464',
      TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, 192.0.2.7, FD00::/8',
      SESSION_COOKIE_SECURE: 'true',
      SIGN_IN_RATE_LIMIT: '5',
      SIGN_IN_RATE_LIMIT_WINDOW_MS: '30000',
      HOST: '0.0.0.0',
      METRICS_HOST: '0.0.0.0',
      METRICS_TOKEN: 'm'.repeat(32),
      API_DOCS: 'false',
      IMPORT_TIMEOUT_MS: '60000',
      IMPORTS_PER_KEY: '4',
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_SECRET_OVERLAP: '90m',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_DELAYS: '100ms, 200ms,1s',
      WEBHOOKS_DISABLE_AFTER: '2s',
      WEBHOOK_CONCURRENCY: '32',
      WEBHOOK_ENDPOINT_CONCURRENCY: '1',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      port: 8080,
      databaseUrl: 'postgresql://app:secret@db.internal:5433/mail',
      redisUrl: 'rediss://cache.internal:6380/4',
      eventStoreUrl: 'kurrentdb+discover://admin:changeit@cluster.internal:2113?tls=true',
      smtpUrl: 'smtps://user:pass@smtp.example.com:465',
      mailCatcherPort: 2600,
      adminApiKey: 'Xq7vK2mR9tLp4Wz8Hc3Nf6Bd1Gy5Js0A',
      workerConcurrency: 256,
      tenantLimits: {
        emailsPerMinute: 1,
        emailsPerHour: 2,
        emailsPerDay: 3,
        pendingEmails: 4,
        pendingBytes: 5,
        sendsPerWindow: 0,
        sendsPerWindowPerSender: 0,
      },
      globalRateLimitPerHour: 10000,
      minSendGapMs: 250,
      rateLimitWindowMs: 2000,
      inDoubtPolicy: 'fail',
      inDoubtMaxResends: 5,
      workerLeaseMs: 5000,
      schedulerWindowMs: 60_000,
      maxClockSkewMs: 250,
      smtpPoolSize: 2,
      retryBaseDelayMs: 100,
      logLevel: 'debug',
      logFormat: 'pretty',
      apiRateLimit: 20,
      apiRateLimitWindowMs: 60000,
      metricsPort: 9464,
      oidc: undefined,
      sessionTtlMs: 28_800_000,
      dashboardDir: 'dist/dashboard',
      trustedProxies: ['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8'],
      sessionCookieSecure: true,
      signInRateLimit: 5,
      signInRateLimitWindowMs: 30_000,
      host: '0.0.0.0',
      metricsHost: '0.0.0.0',
      metricsToken: 'm'.repeat(32),
      apiDocs: false,
      importTimeoutMs: 60_000,
      importsPerKey: 4,
      webhooks: {
        allowPrivateNetworks: true,
        timeoutMs: 1_000,
        retryDelaysMs: [100, 200, 1_000],
        disableAfterMs: 2_000,
        concurrency: 32,
        endpointConcurrency: 1,
        secretOverlapMs: 5_400_000,
      },
      recurrence: { pollMs: 200, leadMs: 5_000, graceMs: 2_000, minIntervalMs: 1_000 },
      attachments: { retentionMs: 86_400_000, purgeIntervalMs: 60_000 },
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(parseConfig({}))).toBe(true);
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ PORT: '', EVENTSTORE_URL: '' })).toMatchObject({
      port: 3000,
      eventStoreUrl: undefined,
    });
  });

  it.each(['esdb://', 'esdb+discover://', 'kurrentdb://', 'kurrentdb+discover://'])(
    'accepts an EVENTSTORE_URL starting with %s',
    (scheme) => {
      expect(
        parseConfig({ EVENTSTORE_URL: `${scheme}localhost:2113?tls=false` }).eventStoreUrl,
      ).toBe(`${scheme}localhost:2113?tls=false`);
    },
  );

  it('accepts a Sentinel group as REDIS_URL', () => {
    const url = 'redis+sentinel://s1.internal:26379,s2.internal:26379,s3.internal/mymaster/2';
    expect(parseConfig({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it('names the variable, the rule and the value in the message', () => {
    expect(configError({ PORT: 'abc' }).message).toBe(
      'Invalid configuration: PORT: expected an integer between 1 and 65535, got "abc"',
    );
  });

  it.each<[string, string, string]>([
    ['PORT', '0', 'expected an integer between 1 and 65535, got "0"'],
    ['PORT', '65536', 'expected an integer between 1 and 65535, got "65536"'],
    ['PORT', '80.5', 'expected an integer between 1 and 65535, got "80.5"'],
    [
      'DATABASE_URL',
      'mysql://db/x',
      'expected a postgres:// or postgresql:// URL, got "mysql://db/x"',
    ],
    ['DATABASE_URL', 'not a url', 'expected a postgres:// or postgresql:// URL'],
    [
      'REDIS_URL',
      'http://cache:6379',
      'expected a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    ],
    ['REDIS_URL', 'redis://cache:6379/zero', 'expected a database index as the path, e.g. /0'],
    ['REDIS_URL', 'redis+sentinel://s1:26379,s2:26379', 'expected redis+sentinel://'],
    ['EVENTSTORE_URL', 'http://esdb:2113', 'expected a URL starting with esdb://'],
    ['EVENTSTORE_URL', 'esdb://', 'expected a URL starting with esdb://'],
    ['SMTP_URL', 'http://mail', 'expected an smtp:// or smtps:// URL, got "http://mail"'],
    ['MAIL_CATCHER_PORT', '0', 'expected an integer between 1 and 65535, got "0"'],
    ['ADMIN_API_KEY', 'short', 'expected at least 32 characters, got 5 characters'],
    // The old docker-compose default, published in the repository.
    [
      'ADMIN_API_KEY',
      'local-admin-key-change-me-0123456789abcdef',
      'expected a random value, not a placeholder ("changeme"), got 42 characters',
    ],
    [
      'ADMIN_API_KEY',
      'Change_Me'.repeat(4),
      'expected a random value, not a placeholder ("changeme")',
    ],
    [
      'ADMIN_API_KEY',
      'my-example-admin-key-0123456789ab',
      'expected a random value, not a placeholder ("example")',
    ],
    ['ADMIN_API_KEY', 'k'.repeat(32), 'expected at least 8 different characters'],
    ['ADMIN_API_KEY', `esk_${'ab1'.repeat(10)}`, 'expected at least 8 different characters'],
    ['TRUSTED_PROXIES', '10.0.0.0/33', 'expected IP addresses, CIDRs or loopback'],
    ['TRUSTED_PROXIES', 'proxy.internal', 'expected IP addresses, CIDRs or loopback'],
    ['TRUSTED_PROXIES', '::1/129', 'expected IP addresses, CIDRs or loopback'],
    ['SESSION_COOKIE_SECURE', 'sometimes', 'expected true or false, got "sometimes"'],
    ['SIGN_IN_RATE_LIMIT', '0', 'expected an integer ≥ 1, got "0"'],
    ['WORKER_CONCURRENCY', '0', 'expected an integer between 1 and 256, got "0"'],
    ['WORKER_CONCURRENCY', '257', 'expected an integer between 1 and 256, got "257"'],
    ['SENDER_RATE_LIMIT_PER_HOUR', '-1', 'expected an integer ≥ 0, got "-1"'],
    ['TENANT_EMAILS_PER_MINUTE', '1.5', 'expected an integer ≥ 0, got "1.5"'],
    ['TENANT_PENDING_BYTES', '10GB', 'expected an integer ≥ 0, got "10GB"'],
    ['TENANT_RATE_LIMIT_PER_HOUR', '-1', 'expected an integer ≥ 0, got "-1"'],
    ['GLOBAL_RATE_LIMIT_PER_HOUR', 'lots', 'expected an integer ≥ 0, got "lots"'],
    ['MIN_SEND_GAP_MS', '1e3', 'expected an integer ≥ 0, got "1e3"'],
    ['RATE_LIMIT_WINDOW_MS', '0', 'expected an integer ≥ 1, got "0"'],
    ['IN_DOUBT_POLICY', 'maybe', 'expected one of resend, fail, got "maybe"'],
    ['WORKER_LEASE_MS', '999', 'expected an integer between 1000 and 3600000, got "999"'],
    ['MAX_CLOCK_SKEW_MS', '5', 'expected an integer between 10 and 3600000, got "5"'],
    ['SCHEDULE_MIN_INTERVAL_MS', '999', 'expected an integer between 1000 and 86400000, got "999"'],
    ['SMTP_POOL_SIZE', '0', 'expected an integer between 1 and 100, got "0"'],
    ['RETRY_BASE_DELAY_MS', '0', 'expected an integer between 1 and 3600000, got "0"'],
    ['API_RATE_LIMIT', '0', 'expected an integer ≥ 1, got "0"'],
    ['API_RATE_LIMIT_WINDOW_MS', '1s', 'expected an integer ≥ 1, got "1s"'],
    ['METRICS_PORT', '0', 'expected an integer between 1 and 65535, got "0"'],
    ['METRICS_PORT', 'http', 'expected an integer between 1 and 65535, got "http"'],
    ['LOG_LEVEL', 'verbose', 'expected one of fatal, error, warn, info, debug, trace, silent'],
    ['LOG_FORMAT', 'text', 'expected one of json, pretty, got "text"'],
  ])('rejects %s=%j', (variable, value, reason) => {
    const error = configError({ [variable]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`${variable}: ${reason}`);
  });

  describe('LOG_FORMAT', () => {
    const tty = { stdoutIsTty: true };

    it('is pretty by default only for a terminal outside production', () => {
      expect(parseConfig({}, tty).logFormat).toBe('pretty');
      expect(parseConfig({ NODE_ENV: 'development' }, tty).logFormat).toBe('pretty');
      expect(parseConfig({ NODE_ENV: 'production' }, tty).logFormat).toBe('json');
      expect(parseConfig({}, { stdoutIsTty: false }).logFormat).toBe('json');
    });

    it('follows an explicit value whatever stdout is', () => {
      expect(parseConfig({ LOG_FORMAT: 'json' }, tty).logFormat).toBe('json');
      expect(parseConfig({ LOG_FORMAT: 'Pretty' }).logFormat).toBe('pretty');
      expect(parseConfig({ LOG_FORMAT: 'json', NODE_ENV: 'production' }).logFormat).toBe('json');
    });

    it('refuses pretty in production, where pino-pretty is not installed', () => {
      expect(configError({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }).problems).toEqual([
        'LOG_FORMAT: expected json when NODE_ENV=production, got "pretty"',
      ]);
    });
  });

  it('never echoes a secret or the password of a URL', () => {
    const key = configError({ ADMIN_API_KEY: 'hunter2' }).message;
    expect(key).not.toContain('hunter2');
    const url = configError({ DATABASE_URL: 'mysql://app:hunter2@db/mail' }).message;
    expect(url).not.toContain('hunter2');
    expect(url).toContain('mysql://app:***@db/mail');
    const sentinel = configError({
      REDIS_URL: 'redis+sentinel://:hunter2@s1,s2/m/x?sentinelPassword=hunter3',
    }).message;
    expect(sentinel).not.toMatch(/hunter[23]/);
    expect(sentinel).toContain('redis+sentinel://:***@s1,s2/m/x?sentinelPassword=***');
  });

  it('names every bad variable at once', () => {
    const error = configError({
      PORT: 'abc',
      REDIS_URL: 'http://nope',
      WORKER_CONCURRENCY: '1000',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'smtp://ok.example.com',
    });
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'REDIS_URL',
      'WORKER_CONCURRENCY',
      'LOG_LEVEL',
    ]);
    expect(error.message).toMatch(
      /^Invalid configuration: PORT: .*; REDIS_URL: .*; WORKER_CONCURRENCY: .*; LOG_LEVEL: /,
    );
  });

  describe('OpenID Connect sign-in', () => {
    const oidc = {
      OIDC_ISSUER: 'https://accounts.google.com',
      OIDC_CLIENT_ID: 'client.apps.googleusercontent.com',
      OIDC_CLIENT_SECRET: 's3cret-value',
      OIDC_REDIRECT_URL: 'https://mail.example.com/v1/auth/oidc/callback',
    };

    it('reads the client, the admins and the domain → tenant map', () => {
      const config = parseConfig({
        ...oidc,
        OIDC_ADMIN_EMAILS: 'Ops@Example.com, root@example.org',
        OIDC_TENANT_DOMAINS: 'acme.example=acme, Globex.example = globex',
        SESSION_TTL_MS: '3600000',
      });
      expect(config.oidc).toEqual({
        issuer: 'https://accounts.google.com',
        clientId: 'client.apps.googleusercontent.com',
        clientSecret: 's3cret-value',
        redirectUrl: 'https://mail.example.com/v1/auth/oidc/callback',
        adminEmails: ['ops@example.com', 'root@example.org'],
        tenantDomains: new Map([
          ['acme.example', 'acme'],
          ['globex.example', 'globex'],
        ]),
        hostedDomain: undefined,
      });
      expect(config.sessionTtlMs).toBe(3_600_000);
    });

    it('reads the Google Workspace domain to require', () => {
      expect(parseConfig({ ...oidc, OIDC_HOSTED_DOMAIN: 'Example.com' }).oidc?.hostedDomain).toBe(
        'example.com',
      );
    });

    it('allows plain http only on loopback', () => {
      const local = {
        ...oidc,
        OIDC_ISSUER: 'http://127.0.0.1:4000',
        OIDC_REDIRECT_URL: 'http://localhost:3000/cb',
      };
      expect(parseConfig(local).oidc?.issuer).toBe('http://127.0.0.1:4000');
      expect(configError({ ...oidc, OIDC_ISSUER: 'http://idp.example.com' }).problems).toEqual([
        'OIDC_ISSUER: expected an https:// URL (http:// only on localhost or 127.0.0.1), got "http://idp.example.com"',
      ]);
    });

    it('names each variable the issuer needs and never echoes the secret', () => {
      expect(configError({ OIDC_ISSUER: oidc.OIDC_ISSUER }).problems).toEqual([
        'OIDC_CLIENT_ID: expected a value when OIDC_ISSUER is set, got nothing',
        'OIDC_CLIENT_SECRET: expected a value when OIDC_ISSUER is set, got nothing',
        'OIDC_REDIRECT_URL: expected a value when OIDC_ISSUER is set, got nothing',
      ]);
      const error = configError({
        ...oidc,
        OIDC_CLIENT_ID: undefined,
        OIDC_CLIENT_SECRET: 'hush-hush',
      });
      expect(error.message).not.toContain('hush-hush');
    });

    it.each([
      ['OIDC_ADMIN_EMAILS', 'ops@example.com, not-an-address'],
      ['OIDC_TENANT_DOMAINS', 'acme.example=acme, globex.example'],
      ['OIDC_TENANT_DOMAINS', 'acme.example=has space'],
      ['OIDC_TENANT_DOMAINS', 'acme.example=acme, staff.example=admin'],
      ['OIDC_TENANT_DOMAINS', 'ops.example=System'],
      ['SESSION_TTL_MS', '1000'],
      ['OIDC_HOSTED_DOMAIN', 'not a domain'],
    ])('refuses a bad %s (%s)', (variable, value) => {
      const error = configError({ ...oidc, [variable]: value });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(new RegExp(`^${variable}: expected `));
    });
  });

  describe('listeners and what they expose', () => {
    it('binds loopback and serves no api /metrics by default; /docs is off in production', () => {
      expect(parseConfig({})).toMatchObject({
        host: '127.0.0.1',
        metricsHost: '127.0.0.1',
        metricsToken: undefined,
        apiDocs: true,
      });
      expect(parseConfig({ NODE_ENV: 'production' }).apiDocs).toBe(false);
      expect(parseConfig({ NODE_ENV: 'production', API_DOCS: 'true' }).apiDocs).toBe(true);
      expect(parseConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
    });

    it('reads addresses, the metrics token and the import bounds', () => {
      const config = parseConfig({
        HOST: '0.0.0.0',
        METRICS_HOST: '::',
        METRICS_TOKEN: 't'.repeat(32),
        IMPORT_TIMEOUT_MS: '30000',
        IMPORTS_PER_KEY: '5',
      });
      expect(config).toMatchObject({
        host: '0.0.0.0',
        metricsHost: '::',
        metricsToken: 't'.repeat(32),
        importTimeoutMs: 30_000,
        importsPerKey: 5,
      });
      expect(parseConfig({ HOST: 'api.internal' }).host).toBe('api.internal');
    });

    it('names each bad value, and never echoes the metrics token', () => {
      const error = configError({
        HOST: 'http://0.0.0.0',
        METRICS_HOST: '1.2.3.4:80',
        METRICS_TOKEN: 'short-secret',
        API_DOCS: 'maybe',
        IMPORT_TIMEOUT_MS: '10',
        IMPORTS_PER_KEY: '0',
      });
      expect(error.problems).toEqual([
        'HOST: expected an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "http://0.0.0.0"',
        'METRICS_HOST: expected an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "1.2.3.4:80"',
        'METRICS_TOKEN: expected at least 32 characters, got 12 characters',
        'API_DOCS: expected true or false, got "maybe"',
        'IMPORT_TIMEOUT_MS: expected an integer between 1000 and 3600000, got "10"',
        'IMPORTS_PER_KEY: expected an integer between 1 and 1000, got "0"',
      ]);
      expect(error.message).not.toContain('short-secret');
    });
  });

  describe('webhooks', () => {
    it('reads the private-network switch and the secret overlap in any unit', () => {
      expect(parseConfig({ WEBHOOK_SECRET_OVERLAP: '0s' }).webhooks.secretOverlapMs).toBe(0);
      expect(parseConfig({ WEBHOOK_SECRET_OVERLAP: '1500ms' }).webhooks.secretOverlapMs).toBe(1500);
      expect(parseConfig({ WEBHOOK_SECRET_OVERLAP: '30d' }).webhooks.secretOverlapMs).toBe(
        30 * 86_400_000,
      );
      expect(
        parseConfig({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'no' }).webhooks.allowPrivateNetworks,
      ).toBe(false);
    });

    it('names each bad secret overlap', () => {
      for (const bad of ['24', '1w', '-1h', '1.5h', 'h', '31d']) {
        expect(configError({ WEBHOOK_SECRET_OVERLAP: bad }).problems).toEqual([
          `WEBHOOK_SECRET_OVERLAP: expected a duration such as 30s, 10m, 5d (from 0 ms to 2592000000 ms), got "${bad}"`,
        ]);
      }
      expect(configError({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'sometimes' }).problems).toEqual([
        'WEBHOOKS_ALLOW_PRIVATE_NETWORKS: expected true or false, got "sometimes"',
      ]);
    });

    it('names each bad webhook setting', () => {
      const error = configError({
        WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'maybe',
        WEBHOOK_TIMEOUT_MS: '10',
        WEBHOOK_RETRY_DELAYS: '5s,,1m',
        WEBHOOKS_DISABLE_AFTER: '5 days',
        WEBHOOK_CONCURRENCY: '0',
        WEBHOOK_ENDPOINT_CONCURRENCY: 'many',
      });
      expect(error.problems).toEqual([
        'WEBHOOKS_ALLOW_PRIVATE_NETWORKS: expected true or false, got "maybe"',
        'WEBHOOK_TIMEOUT_MS: expected an integer between 100 and 60000, got "10"',
        'WEBHOOK_RETRY_DELAYS: expected durations separated by commas, such as 5s,1m,10m,1h,6h,1d, got "5s,,1m"',
        'WEBHOOKS_DISABLE_AFTER: expected a duration such as 30s, 10m, 5d (at least 1000 ms), got "5 days"',
        'WEBHOOK_CONCURRENCY: expected an integer between 1 and 1024, got "0"',
        'WEBHOOK_ENDPOINT_CONCURRENCY: expected an integer between 1 and 256, got "many"',
      ]);
    });

    it('refuses a disabling delay under a second', () => {
      expect(configError({ WEBHOOKS_DISABLE_AFTER: '500ms' }).problems).toHaveLength(1);
    });
  });
});
