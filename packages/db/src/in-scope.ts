declare const readInItsScope: unique symbol;

/**
 * A row read through its transaction's scope: a scoped lookup or lock returned it. Repositories
 * that change or erase given rows take only these, so a row built by hand (an id from a request
 * dressed up as a row, a row read in another transaction) is a type error, not a quiet write.
 * The brand exists in types only; `inScope` is not exported from the package, so only the
 * repositories that read in scope can mint it.
 */
export type InScope<Row> = Row & { readonly [readInItsScope]: true };

/** Marks what a scoped query returned (called by the repositories that read in scope only). */
export function inScope<Row>(rows: Row[]): InScope<Row>[] {
  return rows as InScope<Row>[];
}
