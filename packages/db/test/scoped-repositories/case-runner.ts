import { sql } from 'kysely';
import { companyWideRead, withCompany, type CompanyTx, type Db, type ReadTx } from '@callvault/db';
import { companyRows, idsIn, pathsTo, rowChanges, type CompanyRows } from './company-rows';

type RepositoryFunction = (tx: CompanyTx & ReadTx, ...args: unknown[]) => Promise<unknown>;

/** The two companies of a call: the transaction is `own`'s, `other` must stay out of reach. */
export interface CompanyPair {
  own: string;
  other: string;
}

/** How one call of a repository function ended, and what it did to the two companies' rows. */
export interface CallOutcome {
  result?: unknown;
  error?: string;
  /** Rows of the other company (B) added, removed or changed. */
  otherChanges: string[];
  /** Rows of the transaction's company (A) added, removed or changed. */
  ownChanges: string[];
}

class Rollback extends Error {
  constructor(readonly outcome: CallOutcome) {
    super('rolled back on purpose');
  }
}

/** Runs `work` in a company transaction that always rolls back: every case starts from the same seed. */
async function rolledBack(db: Db, companyId: string, work: (tx: CompanyTx & ReadTx) => Promise<CallOutcome>): Promise<CallOutcome> {
  try {
    // The transaction also carries the company's whole-company read scope (a company admin's), for the repositories that read in one.
    await withCompany(db, companyId, async (tx) => {
      throw new Rollback(await work(companyWideRead(tx)));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
  throw new Error('rolledBack: the transaction committed');
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error));

/**
 * Calls the function in `own`'s transaction and compares both companies' rows before and after,
 * inside that transaction (rolled back afterwards). After a thrown error the rows are read as
 * they are when the transaction still answers; a failed statement aborts it, and is rolled back
 * to a savepoint first (which undoes what the call wrote before it: a write then refused leaves
 * no trace to find).
 */
export async function callWatched(db: Db, fn: RepositoryFunction, args: readonly unknown[], companies: CompanyPair): Promise<CallOutcome> {
  return rolledBack(db, companies.own, async (tx) => {
    const snapshot = async (): Promise<[CompanyRows, CompanyRows]> => [await companyRows(tx, companies.other), await companyRows(tx, companies.own)];
    const [otherBefore, ownBefore] = await snapshot();
    await sql`SAVEPOINT case_call`.execute(tx);
    let outcome: Pick<CallOutcome, 'result' | 'error'>;
    let after: [CompanyRows, CompanyRows];
    try {
      outcome = { result: await fn(tx, ...args) };
      after = await snapshot();
    } catch (error) {
      outcome = { error: describeError(error) };
      after = await snapshot().catch(async () => {
        await sql`ROLLBACK TO SAVEPOINT case_call`.execute(tx);
        return snapshot();
      });
    }
    return { ...outcome, otherChanges: rowChanges(otherBefore, after[0]), ownChanges: rowChanges(ownBefore, after[1]) };
  });
}

/** Calls the function in `companyId`'s transaction with nothing watched: the answer under RLS, to compare with. */
export async function callUnderRls(db: Db, fn: RepositoryFunction, args: readonly unknown[], companyId: string): Promise<CallOutcome> {
  return rolledBack(db, companyId, async (tx) => {
    try {
      return { result: await fn(tx, ...args), otherChanges: [], ownChanges: [] };
    } catch (error) {
      return { error: describeError(error), otherChanges: [], ownChanges: [] };
    }
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;

/**
 * An answer with what differs between two runs of the same call blanked out (fresh ids, the clock, sealing nonces),
 * and Maps and Sets as arrays: two answers from the same rows compare equal as JSON.
 */
export function comparable(value: unknown, seededIds: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return UUID.test(value) && !seededIds.has(value) ? '<new id>' : TIME.test(value) ? '<time>' : value;
  if (value instanceof Date) return '<time>';
  if (value instanceof Map) return [...value].map((entry) => comparable(entry, seededIds));
  if (value instanceof Set) return [...value].map((item) => comparable(item, seededIds));
  if (Array.isArray(value)) return value.map((item) => comparable(item, seededIds));
  // A sealed secret carries a fresh nonce each time it is sealed.
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key.endsWith('_sealed') ? '<sealed>' : comparable(item, seededIds)]));
  return value;
}

/** What a call without RLS says about the code's own company filter; empty when it held. */
export function reachProblems(withoutRls: CallOutcome, underRls: CallOutcome, otherRows: CompanyRows, seededIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const change of withoutRls.otherChanges) problems.push(`changed company B's rows: ${change}`);
  for (const leak of pathsTo(idsIn(otherRows), withoutRls.result)) problems.push(`returned company B's id at ${leak}`);
  const without = JSON.stringify(withoutRls.error ? { threw: true } : comparable(withoutRls.result ?? null, seededIds));
  const withRls = JSON.stringify(underRls.error ? { threw: true } : comparable(underRls.result ?? null, seededIds));
  if (without !== withRls)
    problems.push(`answered differently without RLS than with it:\n  without: ${without.slice(0, 600)}\n  with:    ${withRls.slice(0, 600)}`);
  return problems;
}
