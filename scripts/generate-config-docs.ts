import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  configSchema,
  fileVariableOf,
  REDIS_TARGET_KEYS,
  REQUIRED_ONE_OF,
  SERVICE_NAMES,
  SERVICE_VARIABLES,
  variablesUsedAs,
  type ConfigKey,
} from '@callvault/config';

/**
 * `pnpm docs:config`: writes docs/configuration.md from packages/config: the zod schema (its
 * `.describe()` texts, defaults and constraints) and SERVICE_VARIABLES (who reads what, what is
 * required, which secrets take a `_FILE`), so the reference cannot drift from the code.
 * `--check` only compares and exits 1 when the file is stale; a test does the same.
 */
export const CONFIGURATION_DOC = resolve(import.meta.dirname, '..', 'docs', 'configuration.md');

interface JsonSchemaProperty {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
}

export function renderConfigurationDoc(): string {
  // The input side says what an operator may write; a default that sits behind a transform
  // (booleans, host lists) only shows on the output side.
  const input = configSchema.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonSchemaProperty> };
  const output = configSchema.toJSONSchema({ io: 'output', unrepresentable: 'any' }) as { properties: Record<string, JsonSchemaProperty> };
  const rows = Object.entries(input.properties).map(([name, property]) => {
    const withDefault = { ...property, default: property.default ?? output.properties[name]?.default };
    return `| \`${name}\` | ${cell(defaultOf(withDefault))} | ${cell(acceptedOf(property))} | ${readersOf(name as ConfigKey)} | ${cell(property.description ?? '')} |`;
  });
  const perService = SERVICE_NAMES.map((service) => {
    const required = [names(variablesUsedAs(service, 'required')), ...(REQUIRED_ONE_OF[service] ?? []).map((keys) => `one of ${names(keys)}`)].filter(
      (text) => text !== '–',
    );
    const production = [names(variablesUsedAs(service, 'production'))];
    // A deployment names its Redis by one of several variables (a server, a cluster, Sentinels).
    if (SERVICE_VARIABLES.REDIS_URL.services[service]) production.push(`one of ${names([...REDIS_TARGET_KEYS])}`);
    return `| ${service} | ${required.join('; ') || '–'} | ${production.filter((text) => text !== '–').join('; ') || '–'} |`;
  });
  const secrets = (Object.keys(SERVICE_VARIABLES) as ConfigKey[]).filter((key) => SERVICE_VARIABLES[key].secret);
  return `# Configuration reference

<!-- Generated from packages/config/src/schema.ts and service-variables.ts by \`pnpm docs:config\`.
     Do not edit by hand: a test fails when this file and the code disagree. -->

Every callvault process reads its configuration from the environment once, at start, through one
zod schema (\`packages/config/src/schema.ts\`) and one table of which process reads which variable
(\`packages/config/src/service-variables.ts\`). An empty value counts as unset. Every bad, missing
or refused variable is reported at once, as one JSON log line (\`"msg":"invalid configuration"\`,
level 60), and the process exits 1. See [operations.md](operations.md) for which secret each
service uses and how to rotate them.

## Required variables and production refusals

| process | refuses to start without | must be set when \`NODE_ENV=production\` (the default is for local development) |
|---|---|---|
${perService.join('\n')}

With \`NODE_ENV=production\` a process also refuses the embedded S3 server's keys (\`S3RVER\`), plain
\`http://\` URLs that browsers or providers open (\`PUBLIC_BASE_URL\`, \`GATEWAY_PUBLIC_URL\` with
\`PLAYBACK_MODE=gateway\`, the S3 endpoint presigned URLs point at with \`PLAYBACK_MODE=s3\`), a
\`DATABASE_APP_URL\` that connects as \`postgres\`, hand-typed \`TAG_SIGNING_KEY\` or
\`AUTH_JWT_SECRET\` values (fewer than 12 different characters).

## Secrets from files

Each of ${names(secrets)} may instead be given as a file:
\`${fileVariableOf(secrets[0]!)}=/run/secrets/...\` (Docker or Kubernetes secrets). A trailing newline is dropped;
setting both the variable and its \`_FILE\` is refused.

## Every variable

${rows.length} variables:

| variable | default | accepted values | read by | meaning |
|---|---|---|---|---|
${rows.join('\n')}
`;
}

function readersOf(key: ConfigKey): string {
  const services = SERVICE_VARIABLES[key].services;
  return SERVICE_NAMES.filter((service) => services[service] !== undefined).join(', ');
}

function names(keys: readonly string[]): string {
  return keys.length === 0 ? '–' : keys.map((key) => `\`${key}\``).join(', ');
}

function defaultOf(property: JsonSchemaProperty): string {
  if (property.default === undefined) return 'unset';
  const value = Array.isArray(property.default) ? property.default.join(',') : String(property.default);
  return `\`${value}\``;
}

function acceptedOf(property: JsonSchemaProperty): string {
  if (property.enum) return property.enum.map((value) => `\`${String(value)}\``).join(', ');
  const parts: string[] = [];
  if (property.format === 'uri') parts.push('URL');
  else if (property.type === 'integer')
    parts.push(`integer${property.minimum !== undefined && property.maximum !== undefined ? ` ${property.minimum}–${property.maximum}` : ''}`);
  else if (property.type === 'number') parts.push('number');
  else parts.push('string');
  if (property.pattern) parts.push(`matching \`${property.pattern}\``);
  if (property.minLength !== undefined && property.minLength > 1) parts.push(`at least ${property.minLength} characters`);
  return parts.join(', ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rendered = renderConfigurationDoc();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CONFIGURATION_DOC, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== rendered) {
      process.stderr.write('docs/configuration.md is out of date: run `pnpm docs:config`\n');
      process.exit(1);
    }
    process.stdout.write('docs/configuration.md is up to date\n');
  } else {
    writeFileSync(CONFIGURATION_DOC, rendered);
    process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
  }
}
