import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '@callvault/config';
import { CONFIGURATION_DOC, renderConfigurationDoc } from '../../../scripts/generate-config-docs';

describe('docs/configuration.md', () => {
  it('is what scripts/generate-config-docs.ts renders from the config schema (run `pnpm docs:config` after changing the schema or the service table)', () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(renderConfigurationDoc());
  });

  it('documents every variable, each with a description', () => {
    const doc = renderConfigurationDoc();
    for (const [name, field] of Object.entries(configSchema.shape)) {
      expect(field.description, name).toBeTruthy();
      expect(doc).toContain(`| \`${name}\` |`);
    }
  });
});
