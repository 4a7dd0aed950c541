// docker-compose.yml read as an attacker on the host's network would: every published port on
// loopback only, KurrentDB (insecure mode) not published at all, no admin key anyone could know, and
// the secrets only in the process that uses them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Service {
  readonly ports?: readonly (string | number | { host_ip?: string; published?: unknown })[];
  readonly environment?: Record<string, string | number | null> | readonly string[];
}

const text = readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8');
// `merge` applies the `<<: *app` keys, so each service shows what its container really gets.
const services = (parse(text, { merge: true }) as { services: Record<string, Service> }).services;
const SECRETS = ['ADMIN_API_KEY', 'METRICS_TOKEN'];

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      (env as readonly string[]).map((entry) => {
        const [name = '', ...value] = entry.split('=');
        return [name, value.join('=')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, String(value)]));
}

/** The host address a published port binds to; undefined when it names none (all interfaces). */
function hostIp(port: string | number | { host_ip?: string }): string | undefined {
  if (typeof port === 'object') return port.host_ip;
  // [host_ip:]published:target; an IPv6 address comes in brackets.
  const match = /^(\[[^\]]+\]|[^:]+):[^:]+:[^:]+$/.exec(String(port));
  return match?.[1];
}

describe('docker-compose.yml', () => {
  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port, hostIp: hostIp(port) })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const entry of published) {
      expect({ ...entry, hostIp: entry.hostIp }).toEqual({ ...entry, hostIp: '127.0.0.1' });
    }
  });

  it('does not publish KurrentDB (insecure mode: anyone reaching it could append events)', () => {
    expect(services.kurrentdb).toBeDefined();
    expect(services.kurrentdb?.ports ?? []).toEqual([]);
  });

  it('requires ADMIN_API_KEY from the environment, with no default', () => {
    const value = environment(services.api ?? {}).ADMIN_API_KEY;
    expect(value).toMatch(/^\$\{ADMIN_API_KEY:\?[^}]+\}$/);
    // No default anywhere in the file either (`:-` or `-` substitutions).
    expect(text).not.toMatch(/\$\{ADMIN_API_KEY:?-/);
  });

  it('gives the secrets to the api only', () => {
    for (const [name, service] of Object.entries(services)) {
      const held = SECRETS.filter((secret) => secret in environment(service));
      expect({ name, held }).toEqual({ name, held: name === 'api' ? SECRETS : [] });
    }
  });

  it('has the api listen on every interface inside its container', () => {
    expect(environment(services.api ?? {}).HOST).toBe('0.0.0.0');
  });
});
