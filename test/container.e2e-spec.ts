// No Docker engine runs here, so the container setup is checked in the parts that can be: the
// image's entry point and health check run as the image runs them (against the built apps), and
// docker-compose.yml, the Dockerfile and the GitHub workflow are parsed and their wiring checked —
// every app's environment must pass the real configuration schema.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '@app/platform';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@app/testing';
import { Redis } from 'ioredis';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const REDIS_DB = 15;
const APPS = ['api', 'worker', 'projector', 'dispatcher'] as const;
const BACKING = ['kurrentdb', 'postgres', 'redis', 'mailpit'] as const;

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
}

interface WorkflowJob {
  strategy?: { matrix?: { node?: number[] } };
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
  steps: {
    run?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
  }[];
}

interface Workflow {
  jobs: Record<string, WorkflowJob>;
}

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** A value for every variable compose requires (`${NAME:?message}`), as an operator sets them. */
const REQUIRED = { ADMIN_API_KEY: 'compose-admin-key-0123456789abcdef0123456789' };

/** The file as docker compose reads it: `${NAME:-default}` unset, the required ones set. */
function interpolate(text: string): string {
  return text
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_, name: string) => {
      const value = REQUIRED[name as keyof typeof REQUIRED];
      if (value === undefined) throw new Error(`no value for the required ${name}`);
      return value;
    });
}

function redisUrl(): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

const execFileAsync = promisify(execFile);

/** The image's HEALTHCHECK command, with this environment: its exit code. */
async function healthcheck(env: Record<string, string>): Promise<number> {
  try {
    await execFileAsync(process.execPath, ['scripts/container-healthcheck.mjs'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 15_000,
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe("the image's entry point and health check", () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('container');
  }, 600_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb(); // the worker's jobs and checkpoint, in this suite's database
    redis.disconnect();
    await database?.drop();
  });

  it('refuses an unknown app by name', async () => {
    const failure = await execFileAsync(process.execPath, ['scripts/container-start.mjs', 'web'], {
      cwd: ROOT,
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 64 });
    expect((failure as { stderr: string }).stderr).toContain(
      'unknown app "web": expected one of api, worker, projector, dispatcher, mail-catcher',
    );
  });

  it('runs the app the command names, which the health check then finds healthy', async () => {
    const metricsPort = String(await freePort());
    const apiPort = String(await freePort()); // where no api listens: the worker's probe decides
    const env = { PORT: apiPort, METRICS_PORT: metricsPort };
    expect(await healthcheck(env)).toBe(1);

    const started = spawn(process.execPath, ['scripts/container-start.mjs', 'worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl(),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the worker to be ready', () => output.includes('worker ready'), 30_000, 25);
    expect(await healthcheck(env)).toBe(0);

    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
    started.kill('SIGTERM');
    expect(await exited).toBe(0); // the entry point runs the app in-process: it got the signal
    expect(await healthcheck(env)).toBe(1);
  }, 60_000);
});

describe('docker-compose.yml', () => {
  const compose = parse(interpolate(read('docker-compose.yml')), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;

  it('runs KurrentDB (single node, insecure, with a volume), Postgres, Redis, Mailpit and the apps', () => {
    expect(Object.keys(services).sort()).toEqual([...APPS, ...BACKING].sort());
    const kurrentdb = services.kurrentdb;
    expect(kurrentdb?.image).toMatch(/^docker\.io\/kurrentplatform\/kurrentdb:\d/);
    expect(kurrentdb?.environment).toMatchObject({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_INSECURE: 'true',
    });
    expect(kurrentdb?.volumes).toContainEqual(expect.stringMatching(/:\/var\/lib\/kurrentdb$/));
    expect(services.mailpit?.image).toMatch(/^docker\.io\/axllent\/mailpit:v\d/);
    expect(services.mailpit?.ports).toContain('127.0.0.1:8025:8025');
  });

  it('keeps Redis durable and never evicting, on a volume', () => {
    const command = services.redis?.command?.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(services.redis?.volumes).toContainEqual(expect.stringMatching(/:\/data$/));
  });

  it('gives every backing service a health check the apps wait for', () => {
    for (const name of BACKING) expect(services[name]?.healthcheck?.test.length).toBeGreaterThan(1);
    for (const app of APPS) {
      const dependsOn = services[app]?.depends_on ?? {};
      for (const backing of ['kurrentdb', 'postgres', 'redis']) {
        expect({ app, backing, condition: dependsOn[backing]?.condition }).toEqual({
          app,
          backing,
          condition: 'service_healthy',
        });
      }
    }
    expect(services.worker?.depends_on?.mailpit?.condition).toBe('service_healthy');
  });

  it('builds the apps from the one Dockerfile, each selected by its command', () => {
    const entry = read('scripts/container-start.mjs');
    for (const app of APPS) {
      expect(services[app]).toMatchObject({ build: '.', command: [app] });
      expect(entry).toContain(`'${app}'`);
    }
    expect(services.projector?.deploy?.replicas).toBeGreaterThan(1); // one active, one standing by
    expect(services.dispatcher?.deploy?.replicas).toBeGreaterThan(1); // they share the deliveries
  });

  it("wires each app's environment to the services, and it passes the config schema", () => {
    const postgres = services.postgres?.environment ?? {};
    for (const app of APPS) {
      const config = parseConfig(services[app]?.environment ?? {});
      const database = new URL(config.databaseUrl);
      expect(database.hostname).toBe('postgres');
      expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);
      expect(decodeURIComponent(database.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(new URL(config.redisUrl).hostname).toBe('redis');
      expect(config.eventStoreUrl).toBe('esdb://kurrentdb:2113?tls=false');
      expect(config.smtpUrl).toBe('smtp://mailpit:1025');
      // The admin key is the api's alone (test/compose.spec.ts checks the file for every secret).
      expect(config.adminApiKey).toBe(app === 'api' ? REQUIRED.ADMIN_API_KEY : undefined);
      expect(config.metricsPort).toBe(9464);
    }
    expect(parseConfig(services.api?.environment ?? {}).port).toBe(3000);
    expect(services.api?.ports).toContain('127.0.0.1:3000:3000');
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('builds and runs every stage on the one Node image', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+-bookworm-slim$/m);
    for (const stage of stages) expect(stage).toMatch(/^\$\{NODE_IMAGE\} AS /);
  });

  it('builds in one stage and runs, unprivileged, on production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm ci --no-audit --no-fund\n/);
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/npm run build|--from=build \/app\/node_modules/);
  });

  it('starts and health-checks through the scripts the tests above run', () => {
    expect(runtime).toContain('ENTRYPOINT ["node", "scripts/container-start.mjs"]');
    expect(runtime).toContain('CMD ["node", "scripts/container-healthcheck.mjs"]');
    expect(runtime).toContain('CMD ["api"]');
    expect(runtime).toMatch(/METRICS_PORT=9464/);
  });
});

describe('the GitHub workflow', () => {
  const workflow = parse(read('.github/workflows/ci.yml')) as Workflow;
  const jobs = Object.values(workflow.jobs);
  const job = jobs.find((candidate) =>
    candidate.steps.some((step) => step.run === 'npm run check'),
  );
  const contractJob = jobs.find((candidate) => candidate.services?.kurrentdb !== undefined);

  it('runs the same check as .ci/run', () => {
    expect(read('.ci/run')).toContain('npm run check');
    expect(job).toBeDefined();
  });

  it("checks every Node line package.json's engines admits, the image's among them", () => {
    const tested = job?.strategy?.matrix?.node ?? [];
    const setupNode = job?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe('${{ matrix.node }}');
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    const admitted = [...engines.node.matchAll(/\^(\d+)\./g)].map((match) => Number(match[1]));
    expect(tested).toEqual(admitted);
    expect(tested).toContain(20); // the machines' and .ci/run's Node
    const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(read('Dockerfile'))?.[1];
    expect(tested).toContain(Number(image));
  });

  it('runs the event-store contract suite against a KurrentDB service container', () => {
    const kurrentdb = contractJob?.services?.kurrentdb;
    expect(kurrentdb?.image).toMatch(/^docker\.io\/kurrentplatform\/kurrentdb:\d/);
    expect(kurrentdb?.env?.KURRENTDB_INSECURE).toBe('true');
    const contract = contractJob?.steps.find((step) => step.env?.EVENTSTORE_URL !== undefined);
    expect(contract?.run).toMatch(/jest libs\/event-store/);
    const url = contract?.env?.EVENTSTORE_URL ?? '';
    expect(parseConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
    const port = /:(\d+)\?/.exec(url)?.[1];
    expect(kurrentdb?.ports).toContain(`${port}:2113`);
    expect(read('libs/event-store/src/esdb/esdb-event-store.int-spec.ts')).toContain(
      'process.env.EVENTSTORE_URL',
    );
  });

  it('audits the production dependencies: strictly there, with a warning offline in .ci/run', () => {
    const steps = jobs.flatMap((candidate) => candidate.steps.map((step) => step.run ?? ''));
    expect(steps).toContain('node scripts/audit.mjs --strict');
    expect(read('.ci/run')).toMatch(/^node scripts\/audit\.mjs$/m);
  });

  it('gives the tests the database they expect', () => {
    expect(job?.services?.postgres?.env).toMatchObject({
      POSTGRES_HOST_AUTH_METHOD: 'trust',
      POSTGRES_DB: 'test',
    });
    expect(job?.services?.postgres?.ports).toContain('5432:5432');
  });
});
