import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderGatewaySchema, SCHEMA_PATH } from '../scripts/render-schema';

describe('the generated gateway schema', () => {
  it('matches the gateway it was generated from (run `pnpm generate:api-client` when this fails)', async () => {
    const committed = readFileSync(SCHEMA_PATH, 'utf8');
    const fresh = await renderGatewaySchema();
    // A diff of thousands of lines helps nobody: report whether, then where it first differs.
    if (fresh !== committed) {
      const at = [...fresh].findIndex((char, index) => char !== committed[index]);
      expect.fail(`src/gateway-schema.ts is stale near: ${JSON.stringify(fresh.slice(Math.max(0, at - 80), at + 80))}`);
    }
    expect(committed).toContain('"/v1/recordings/{id}/playback"');
  });
});
