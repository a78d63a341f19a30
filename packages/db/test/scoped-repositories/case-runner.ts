import { sql } from 'kysely';
import { withCompany, type CompanyTx, type Db } from '@callvault/db';
import type { Aim } from './cases';
import { companyRows, idsIn, pathsTo, rowChanges, type CompanyRows } from './company-rows';

/** How one call of a repository function ended, and what it did to the two companies' rows. */
export interface CallOutcome {
  result?: unknown;
  error?: string;
  /** Rows of the target company (B in the attack) added, removed or changed. */
  targetChanges: string[];
  /** Rows of the transaction's company (A) added, removed or changed. */
  ownChanges: string[];
}

class Rollback extends Error {
  constructor(readonly outcome: CallOutcome) {
    super('rolled back on purpose');
  }
}

/** Runs `work` in a company transaction that always rolls back: every case starts from the same seed. */
async function rolledBack(db: Db, companyId: string, work: (tx: CompanyTx) => Promise<CallOutcome>): Promise<CallOutcome> {
  try {
    await withCompany(db, companyId, async (tx) => {
      throw new Rollback(await work(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
  throw new Error('rolledBack: the transaction committed');
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error));

/**
 * Calls the function for company A and compares both companies' rows before and after, inside the
 * same transaction (the writes are rolled back afterwards). A failed statement aborts the
 * transaction: it is rolled back to a savepoint first, which also undoes whatever it wrote.
 */
export async function callWatched(
  db: Db,
  fn: (tx: CompanyTx, ...args: unknown[]) => Promise<unknown>,
  args: readonly unknown[],
  aim: Aim,
): Promise<CallOutcome> {
  return rolledBack(db, aim.companyId, async (tx) => {
    const snapshot = () => Promise.all([companyRows(tx, aim.target.companyId), companyRows(tx, aim.companyId)]);
    const [targetBefore, ownBefore] = await snapshot();
    await sql`SAVEPOINT case_call`.execute(tx);
    let outcome: Pick<CallOutcome, 'result' | 'error'>;
    let after: [CompanyRows, CompanyRows];
    try {
      outcome = { result: await fn(tx, ...args) };
      after = await snapshot();
    } catch (error) {
      outcome = { error: describeError(error) };
      await sql`ROLLBACK TO SAVEPOINT case_call`.execute(tx);
      after = await snapshot();
    }
    return { ...outcome, targetChanges: rowChanges(targetBefore, after[0]), ownChanges: rowChanges(ownBefore, after[1]) };
  });
}

/** Calls the function for company A with nothing watched: the answer under RLS, to compare with. */
export async function callUnderRls(
  db: Db,
  fn: (tx: CompanyTx, ...args: unknown[]) => Promise<unknown>,
  args: readonly unknown[],
  aim: Aim,
): Promise<CallOutcome> {
  return rolledBack(db, aim.companyId, async (tx) => {
    try {
      return { result: await fn(tx, ...args), targetChanges: [], ownChanges: [] };
    } catch (error) {
      return { error: describeError(error), targetChanges: [], ownChanges: [] };
    }
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;

/**
 * An answer with what differs between two runs of the same call blanked out (fresh ids, the clock),
 * and Maps and Sets as arrays: two answers from the same rows compare equal as JSON.
 */
export function comparable(value: unknown, seededIds: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return UUID.test(value) && !seededIds.has(value) ? '<new id>' : TIME.test(value) ? '<time>' : value;
  if (value instanceof Date) return '<time>';
  if (value instanceof Map) return [...value].map((entry) => comparable(entry, seededIds));
  if (value instanceof Set) return [...value].map((item) => comparable(item, seededIds));
  if (Array.isArray(value)) return value.map((item) => comparable(item, seededIds));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item, seededIds)]));
  return value;
}

/** What an outcome of the attack says about the code's own company filter; empty when it held. */
export function attackProblems(attack: CallOutcome, underRls: CallOutcome, targetRows: CompanyRows, seededIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const change of attack.targetChanges) problems.push(`changed company B's rows: ${change}`);
  for (const leak of pathsTo(idsIn(targetRows), attack.result)) problems.push(`returned company B's id at ${leak}`);
  const without = JSON.stringify(attack.error ? { threw: true } : comparable(attack.result ?? null, seededIds));
  const withRls = JSON.stringify(underRls.error ? { threw: true } : comparable(underRls.result ?? null, seededIds));
  if (without !== withRls)
    problems.push(`answered differently without RLS than with it:\n  without: ${without.slice(0, 600)}\n  with:    ${withRls.slice(0, 600)}`);
  return problems;
}
