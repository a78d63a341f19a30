import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withCompany, type Db } from '@callvault/db';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { attackProblems, callUnderRls, callWatched } from './scoped-repositories/case-runner';
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

  it("reaches company A's own rows (control run)", async () => {
    const control = await callWatched(unprotected, fn(), argsFor(aimAt(a)), aimAt(a));
    expect(control.error, `${name} threw on company A's own rows: fix its case's arguments`).toBeUndefined();
    const ownIds = idsIn(await companyRows(env.ownerDb, a.companyId));
    const traced = control.ownChanges.length > 0 || pathsTo(ownIds, control.result).length > 0;
    if (!CASES[name].traceless) expect(traced, `${name} left no trace of company A: its case reaches no rows (or say why in traceless)`).toBe(true);
  });

  it("neither returns nor changes company B's rows when company A's code aims at them", async () => {
    const args = argsFor(aimAt(b));
    const attack = await callWatched(unprotected, fn(), args, aimAt(b));
    const underRls = await callUnderRls(env.db, fn(), args, aimAt(b));
    expect(attackProblems(attack, underRls, bRows, seededIds), `${name} reached company B: its company filter is missing`).toEqual([]);
  });
});
