import { sql } from 'kysely';
import type { CompanyTx } from '../client';

export interface RedactionPatternFields {
  name: string;
  source: string;
  placeholder: string;
}

/**
 * The company's own redaction patterns in the order they apply: the one place every writer of
 * call text (transcriber, provider events, call analysis) and the settings API read them from.
 */
export async function listRedactionPatterns(tx: CompanyTx) {
  return tx
    .selectFrom('redaction_patterns')
    .select(['id', 'name', 'source', 'placeholder', 'created_at', 'updated_at'])
    .where('company_id', '=', tx.scope.companyId)
    .orderBy('position')
    .execute();
}

/**
 * Makes `patterns` the company's whole list, in this order. A pattern is known by its name: one
 * kept keeps its id and creation time, and its update time moves only when its source or
 * placeholder changed.
 */
export async function replaceRedactionPatterns(tx: CompanyTx, patterns: readonly RedactionPatternFields[]): Promise<void> {
  const names = patterns.map((pattern) => pattern.name);
  let removed = tx.deleteFrom('redaction_patterns').where('company_id', '=', tx.scope.companyId);
  if (names.length > 0) removed = removed.where('name', 'not in', names);
  await removed.execute();
  if (patterns.length === 0) return;
  await tx
    .insertInto('redaction_patterns')
    .values(patterns.map((pattern, position) => ({ company_id: tx.scope.companyId, ...pattern, position })))
    .onConflict((conflict) =>
      conflict.columns(['company_id', 'name']).doUpdateSet((eb) => ({
        source: eb.ref('excluded.source'),
        placeholder: eb.ref('excluded.placeholder'),
        position: eb.ref('excluded.position'),
        updated_at: sql`CASE WHEN (redaction_patterns.source, redaction_patterns.placeholder) IS DISTINCT FROM (excluded.source, excluded.placeholder)
          THEN now() ELSE redaction_patterns.updated_at END`,
      })),
    )
    .execute();
}
