import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configSchema } from '@callvault/config';

/**
 * `pnpm docs:config`: writes docs/configuration.md from the zod schema in packages/config (its
 * `.describe()` texts, defaults and constraints), so the reference cannot drift from the code.
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
    return `| \`${name}\` | ${cell(defaultOf(withDefault))} | ${cell(acceptedOf(property))} | ${cell(property.description ?? '')} |`;
  });
  return `# Configuration reference

<!-- Generated from packages/config/src/schema.ts by \`npx -y pnpm@10 docs:config\`. Do not edit by hand:
     a test fails when this file and the schema disagree. -->

Every callvault process reads its configuration from the environment once, at start, through one
zod schema (\`packages/config/src/schema.ts\`). An empty value counts as unset. An invalid value stops
the process with one message naming every bad variable. Each process also names the variables it
cannot run without (for example ingest needs \`SECRETS_KEY\` and \`TAG_SIGNING_KEY\`); see
[operations.md](operations.md) for which secret each service uses and how to rotate them.

${rows.length} variables:

| variable | default | accepted values | meaning |
|---|---|---|---|
${rows.join('\n')}
`;
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
  else if (property.type === 'integer') parts.push(`integer${property.minimum !== undefined && property.maximum !== undefined ? ` ${property.minimum}–${property.maximum}` : ''}`);
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
      process.stderr.write('docs/configuration.md is out of date: run `npx -y pnpm@10 docs:config`\n');
      process.exit(1);
    }
    process.stdout.write('docs/configuration.md is up to date\n');
  } else {
    writeFileSync(CONFIGURATION_DOC, rendered);
    process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
  }
}
