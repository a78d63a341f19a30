import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, SERVICE_NAMES, SERVICE_VARIABLES, variablesOf, type ConfigKey, type ServiceName } from '@callvault/config';

/**
 * docker-compose.yml against SERVICE_VARIABLES (packages/config): each container gets exactly the
 * variables its process reads, so a variable added to the table and forgotten here, or a secret
 * handed to a service that does not read it, fails this test.
 */
interface ComposeService {
  image?: string;
  environment?: Record<string, string | null>;
  ports?: string[];
  logging?: unknown;
  cpus?: number;
  mem_limit?: string;
  build?: unknown;
}

const compose = parse(readFileSync(resolve(import.meta.dirname, '../../../docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const containerOf = (service: ServiceName) => (service === 'cli' ? 'migrate' : service);
/** Read by the process, deliberately not given by compose, and why. */
const WITHHELD: Partial<Record<ServiceName, Partial<Record<ConfigKey, string>>>> = {
  cli: { DATABASE_APP_PASSWORD: 'infra/postgres-init.sh sets the app role password; the owner role may not' },
};
/** Not configuration of ours, but of the runtime. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);
const schemaKeys = new Set(Object.keys(configSchema.shape));

describe('docker-compose.yml', () => {
  it.each(SERVICE_NAMES)('gives %s exactly the variables it reads', (service) => {
    const environment = Object.keys(compose.services[containerOf(service)]?.environment ?? {});
    const expected = variablesOf(service).filter((key) => WITHHELD[service]?.[key] === undefined);
    expect(environment.filter((key) => schemaKeys.has(key)).sort()).toEqual([...expected].sort());
    expect(environment.filter((key) => !schemaKeys.has(key) && !RUNTIME_VARIABLES.has(key))).toEqual([]);
  });

  it('has no default value for any secret', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        const secret = SERVICE_VARIABLES[key as ConfigKey]?.secret || /PASSWORD|SECRET/.test(key);
        // `${VAR:?message}` (required) or `${VAR:-}` (empty: the loader decides) only.
        if (secret && value) expect(value, `${name}.${key}`).not.toMatch(/\$\{[A-Z_]+:-[^}]/);
      }
    }
  });

  it('publishes only gateway and ingest, on CALLVAULT_BIND', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name).sort()).toEqual(['gateway', 'ingest']);
    for (const [, service] of published) for (const port of service.ports!) expect(port).toMatch(/^\$\{CALLVAULT_BIND:-127\.0\.0\.1\}:/);
  });

  it('pins every image by digest, limits every container and rotates its logs', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image) expect(service.image, name).toMatch(/^[^:@]+:[^@]+@sha256:[0-9a-f]{64}$/);
      else expect(service.build, name).toBeDefined();
      expect(service.logging, name).toBeDefined();
      if (name !== 'seaweedfs-init') expect([service.cpus, service.mem_limit], name).not.toContain(undefined);
    }
  });
});
