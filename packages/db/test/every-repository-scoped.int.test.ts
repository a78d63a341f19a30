import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withCompany, type Db } from '@callvault/db';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { callUnderRls, callWatched, reachProblems } from './scoped-repositories/case-runner';
import { CASES, type Aim } from './scoped-repositories/cases';
import { companyRows, idsIn, pathsTo, TABLES_WITH_COMPANY_ROWS, type CompanyRows } from './scoped-repositories/company-rows';
import { exportedFunctions, NOT_REPOSITORIES, repositoryFunction, type CompanyScopedName } from './scoped-repositories/discovery';
import { PLATFORM_WIDE } from './scoped-repositories/platform-wide';
import { seedTwoCompanies, type SeededCompany } from './scoped-repositories/seed';

/**
 * Issue #14: every repository function a company transaction can call filters by its company on
 * its own, not only through RLS. Each runs for company A on a connection RLS does not bind (the
 * schema owner, a superuser), aimed at company B's rows, and must neither return nor change any.
 */

let env: TestEnvironment;
/** Company transactions on the schema owner's connection: the code's scope says A, RLS lets everything through. */
let unprotected: Db;
let a: SeededCompany;
let b: SeededCompany;
let bRows: CompanyRows;
let seededIds: Set<string>;

beforeAll(async () => {
  env = await createTestEnvironment();
  unprotected = createDb(env.config.DATABASE_URL, { poolSize: 2 });
  ({ a, b } = await seedTwoCompanies(env));
  bRows = await companyRows(env.ownerDb, b.companyId);
  seededIds = new Set([...idsIn(bRows), ...idsIn(await companyRows(env.ownerDb, a.companyId))]);
});

afterAll(async () => {
  await unprotected?.destroy();
  await env?.close();
});

const aimAt = (target: SeededCompany): Aim => ({
  companyId: a.companyId,
  scope: { kind: 'company', companyId: a.companyId, ownerUserIds: null },
  target,
  box: env.box,
});

const caseNames = Object.keys(CASES).sort() as CompanyScopedName[];

describe('every repository function has a two-company case', () => {
  it('accounts for every function @callvault/db exports: a two-company case, a platform-wide reason, or no repository', () => {
    const accounted = new Set<string>([...caseNames, ...Object.keys(PLATFORM_WIDE), ...NOT_REPOSITORIES]);
    const missing = exportedFunctions.filter((name) => !accounted.has(name)).map((name) => `no two-company case for ${name}`);
    const stale = [...accounted].filter((name) => !exportedFunctions.includes(name)).map((name) => `${name} is listed but no longer exported`);
    expect([...missing, ...stale]).toEqual([]);
    expect(caseNames.filter((name) => name in PLATFORM_WIDE || (NOT_REPOSITORIES as readonly string[]).includes(name))).toEqual([]);
  });

  it('seeds rows of both companies in every company table', async () => {
    const aRows = await companyRows(env.ownerDb, a.companyId);
    const empty = TABLES_WITH_COMPANY_ROWS.flatMap((table) => [
      ...(aRows.get(table)!.length === 0 ? [`A has no ${table}`] : []),
      ...(bRows.get(table)!.length === 0 ? [`B has no ${table}`] : []),
    ]);
    expect(empty).toEqual([]);
  });

  it("runs the cases where RLS does not hide company B: the code's filter is all that stands between", async () => {
    const visible = (db: Db) =>
      withCompany(db, a.companyId, async (tx) => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM recordings WHERE company_id = ${b.companyId}`.execute(tx);
        return rows[0]!.n;
      });
    expect(await visible(env.db)).toBe(0);
    expect(await visible(unprotected)).toBeGreaterThan(0);
  });
});

describe.each(caseNames)('%s', (name) => {
  const fn = () => repositoryFunction(name);
  const argsFor = (aim: Aim) => (CASES[name].args as (aim: Aim) => readonly unknown[])(aim);
  const companies = () => ({ own: a.companyId, other: b.companyId });
  /** Without RLS and under it, with the same arguments: what the code's own filter let through. */
  const reach = async (args: readonly unknown[]) => {
    const withoutRls = await callWatched(unprotected, fn(), args, companies());
    const underRls = await callUnderRls(env.db, fn(), args, a.companyId);
    return { withoutRls, problems: reachProblems(withoutRls, underRls, bRows, seededIds) };
  };

  // Company B holds the same call sids, recording ids, caller number and words: a lookup by one of
  // them that lost its company filter finds B's rows even when aimed at A's.
  it("aimed at company A's own rows: reaches them, and nothing of company B", async () => {
    const { withoutRls, problems } = await reach(argsFor(aimAt(a)));
    expect(withoutRls.error, `${name} threw on company A's own rows: fix its case's arguments`).toBeUndefined();
    const ownIds = idsIn(await companyRows(env.ownerDb, a.companyId));
    const traced = withoutRls.ownChanges.length > 0 || pathsTo(ownIds, withoutRls.result).length > 0;
    if (!CASES[name].traceless) expect(traced, `${name} left no trace of company A: its case reaches no rows (or say why in traceless)`).toBe(true);
    expect(problems, `${name} reached company B: its company filter is missing`).toEqual([]);
  });

  it("aimed at company B's rows: neither returns nor changes any", async () => {
    const { problems } = await reach(argsFor(aimAt(b)));
    expect(problems, `${name} reached company B: its company filter is missing`).toEqual([]);
  });
});
