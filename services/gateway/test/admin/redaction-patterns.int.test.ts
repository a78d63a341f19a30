import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

const URL = '/v1/settings/redaction-patterns';
const MRN = { name: 'mrn', source: '\\bMRN[- ]?\\d{6,10}\\b' };

beforeAll(async () => {
  world = await createAdminWorld();
});

afterAll(async () => {
  await world?.close();
});

const storedPatterns = (companyId: string) =>
  world.env.ownerDb.selectFrom('redaction_patterns').selectAll().where('company_id', '=', companyId).orderBy('position').execute();

describe('redaction patterns', () => {
  it('a company admin replaces the list; a kept name keeps its id, the placeholder derives from the name unless given', async () => {
    const before = await world.call(world.tokens.adminA, 'GET', URL);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ patterns: [] });

    const put = await world.call(world.tokens.adminA, 'PUT', URL, { patterns: [MRN, { name: 'policy', source: 'POL\\d{8}', placeholder: '[POLICY]' }] });
    expect(put.statusCode).toBe(200);
    expect(put.json().patterns).toMatchObject([
      { name: 'mrn', source: MRN.source, placeholder: '[REDACTED MRN]' },
      { name: 'policy', source: 'POL\\d{8}', placeholder: '[POLICY]' },
    ]);
    const mrnId = put.json().patterns[0].id;

    const replaced = await world.call(world.tokens.adminA, 'PUT', URL, { patterns: [{ name: 'claim', source: 'CLM-\\d{5}' }, MRN] });
    expect(replaced.json().patterns.map((entry: { name: string }) => entry.name)).toEqual(['claim', 'mrn']);
    expect(replaced.json().patterns[1].id).toBe(mrnId);
    expect((await storedPatterns(world.a.id)).map((row) => row.name)).toEqual(['claim', 'mrn']);

    const trail = await auditTrail(world.env, world.a.id, 'settings.redaction_patterns.update');
    expect(trail).toHaveLength(2);
  });

  it('refuses hostile and broken patterns with a 400 that names the problem, and stores nothing of the list', async () => {
    const kept = await storedPatterns(world.a.id);
    const cases: Array<[unknown, RegExp]> = [
      [[{ name: 'nested', source: '(a+)+$' }], /patterns\[0\]\.source \("nested"\) can take exponential time/],
      [[MRN, { name: 'overlap', source: '(a|aa)*b' }], /patterns\[1\]\.source \("overlap"\) can take exponential time/],
      [[{ name: 'poly', source: '\\d+\\.\\d+$' }], /can take polynomial time/],
      [[{ name: 'empty', source: '\\d*' }], /matches the empty string/],
      [[{ name: 'boundary', source: '\\b' }], /matches the empty string/],
      [[{ name: 'ahead', source: '(?=MRN)\\w+' }], /lookahead or lookbehind/],
      [[{ name: 'broken', source: '(MRN' }], /is not a valid regular expression/],
      [[{ name: 'huge', source: `MRN${'\\d'.repeat(150)}` }], /\/body\/patterns\/0\/source.*<=200 characters/],
      [Array.from({ length: 21 }, (_, index) => ({ name: `p${index}`, source: `P${index}-\\d{4}` })), /<=20 items/],
      [[MRN, { ...MRN, source: 'MRN\\d{7}' }], /pattern names must be unique/],
      [[{ name: 'Bad/Name', source: 'X\\d{4}' }], /\/body\/patterns\/0\/name/],
      [[{ ...MRN, placeholder: 'x'.repeat(61) }], /\/body\/patterns\/0\/placeholder/],
    ];
    for (const [patterns, message] of cases) {
      const response = await world.call(world.tokens.adminA, 'PUT', URL, { patterns });
      expect(response.statusCode, JSON.stringify(patterns).slice(0, 80)).toBe(400);
      const { detail, errors = [] } = response.json();
      expect(`${detail} ${JSON.stringify(errors)}`, JSON.stringify(patterns).slice(0, 80)).toMatch(message);
    }
    expect(await storedPatterns(world.a.id)).toEqual(kept);
  });

  it('answers 403 to agents and managers, 404 to another company’s admin, and lets a superadmin act for a named company', async () => {
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'GET', URL)).statusCode).toBe(403);
      expect((await world.call(token, 'PUT', URL, { patterns: [] })).statusCode).toBe(403);
      // The role is checked before the patterns are analysed: a hostile one still gets the 403.
      expect((await world.call(token, 'PUT', URL, { patterns: [{ name: 'nested', source: '(a+)+$' }] })).statusCode).toBe(403);
    }
    const rowsA = await storedPatterns(world.a.id);
    expect((await world.call(world.tokens.adminB, 'GET', `${URL}?companyId=${world.a.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'PUT', URL, { companyId: world.a.id, patterns: [] })).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'PUT', URL, { companyId: world.a.id, patterns: [{ name: 'nested', source: '(a+)+$' }] })).statusCode).toBe(
      404,
    );
    expect(await storedPatterns(world.a.id)).toEqual(rowsA);
    expect(await storedPatterns(world.b.id)).toEqual([]);

    const read = await world.call(world.tokens.superadmin, 'GET', `${URL}?companyId=${world.a.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().patterns).toHaveLength(rowsA.length);
    const write = await world.call(world.tokens.superadmin, 'PUT', URL, { companyId: world.b.id, patterns: [MRN] });
    expect(write.statusCode).toBe(200);
    expect((await storedPatterns(world.b.id)).map((row) => row.name)).toEqual(['mrn']);
    expect(await auditTrail(world.env, world.a.id, 'settings.redaction_patterns.read')).toHaveLength(1);
  });
});
