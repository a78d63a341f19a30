import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, renderErrorsDoc } from '../../../../scripts/generate-error-docs';
import { INGEST_ERRORS } from '../../../ingest/src/errors';
import { GATEWAY_ERRORS } from '../../src/errors';

describe('docs/errors.md', () => {
  it('is what scripts/generate-error-docs.ts renders from the error catalogues (run `pnpm docs:errors` after changing one)', () => {
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(renderErrorsDoc());
  });

  it('documents every gateway code with a title and a description, each status a client or server error', () => {
    const doc = renderErrorsDoc();
    for (const [code, entry] of Object.entries(GATEWAY_ERRORS)) {
      expect(doc, code).toContain(`<a id="${code}"></a>\`${code}\` | ${entry.status} |`);
      expect(entry.title.length, code).toBeGreaterThan(0);
      expect(entry.description.length, code).toBeGreaterThan(20);
      expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
    }
  });

  it('gives a code answered by both services the same status, title and meaning', () => {
    for (const [code, entry] of Object.entries(INGEST_ERRORS))
      if (code in GATEWAY_ERRORS) expect(GATEWAY_ERRORS[code as keyof typeof GATEWAY_ERRORS], code).toEqual(entry);
  });
});
