import * as repositories from '@callvault/db';
import type { CompanyTx, Db, PlatformTx, ReadTx } from '@callvault/db';

type Module = typeof repositories;
type AnyFunction = (...args: never[]) => unknown;
type FirstParameter<F> = F extends (first: infer T, ...rest: never[]) => unknown ? T : never;

/** Exports of @callvault/db that are functions. */
export type FunctionName = { [K in keyof Module]: Module[K] extends AnyFunction ? K : never }[keyof Module];

/**
 * Repository functions a company transaction can call (first parameter CompanyTx, ScopedTx, or a
 * ReadTx: a company transaction carrying a read scope); a function taking a plain Db (the
 * transaction helpers) is no repository, nor is `companyWideRead` (it attaches a read scope).
 */
export type CompanyScopedName = Exclude<
  {
    [K in FunctionName]: [CompanyTx & ReadTx] extends [FirstParameter<Module[K]>] ? ([Db] extends [FirstParameter<Module[K]>] ? never : K) : never;
  }[FunctionName],
  'companyWideRead'
>;

/** Repository functions only a platform transaction can call. */
export type PlatformOnlyName = Exclude<
  {
    [K in FunctionName]: [PlatformTx] extends [FirstParameter<Module[K]>] ? ([Db] extends [FirstParameter<Module[K]>] ? never : K) : never;
  }[FunctionName],
  CompanyScopedName | 'inCompany'
>;

/** The arguments after the transaction. */
export type ArgumentsOf<K extends FunctionName> = Module[K] extends (first: never, ...rest: infer R) => unknown ? R : never;

const exportsByName = new Map<string, unknown>(Object.entries(repositories));

/** Every function @callvault/db exports, found at run time: what the test must account for. */
export const exportedFunctions: ReadonlyArray<string> = [...exportsByName]
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

export function repositoryFunction(name: CompanyScopedName): (tx: CompanyTx & ReadTx, ...args: unknown[]) => Promise<unknown> {
  return exportsByName.get(name) as (tx: CompanyTx & ReadTx, ...args: unknown[]) => Promise<unknown>;
}

/** Exports that are no repository: transaction plumbing, migrations, query-building and sealing helpers. */
export const NOT_REPOSITORIES: ReadonlyArray<Exclude<FunctionName, CompanyScopedName | PlatformOnlyName>> = [
  'createDb',
  'withCompany',
  'withPlatform',
  'withReadScope',
  'companyWideRead',
  'inCompany',
  'pingDb',
  'queryAfter',
  'migrateToLatest',
  'migrateDown',
  'grantAppRole',
  'constraintViolationOf',
  'openProviderSecrets',
  'hasLegacySeal',
  'sealModelKey',
  'openModelKey',
  'whereInScope',
  'whereCallInScope',
  'matchesSearch',
  'byTimestamp',
  'sortedPage',
  'sortValueOf',
];
