import fc from 'fast-check';

/** Strings built to break parsers, queries and paths. */
export const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE recordings; --",
  '1; SELECT pg_sleep(5)',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  'abc\u0000def',
  '%',
  '\\',
  '*',
  '$where',
  '{"$gt":""}',
  '<script>alert(1)</script>',
  '😀🔥',
  'Ä\u0301',
  '\u202Eevil',
  '\uFFFD',
  ' ',
  'null',
  'undefined',
  '[object Object]',
  'x'.repeat(5000),
];

/** Values for a path id: none of them is a UUID. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS, '-1', '0', '1e309', 'NaN', '00000000-0000-0000-0000-00000000000g', '00000000-0000-0000-0000-000000000000x'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((value) => !/^[0-9a-f-]{36}$/i.test(value)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);

/** Any value a query parameter could carry. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('-1', '0', '101', '1e309', 'abc', '1.5', '', 'true', 'TRUE', '99999-01-01T00:00:00Z', 'yesterday'),
);

/** Every query parameter name a gateway route reads (and a few it does not). */
export const QUERY_NAMES = [
  'limit',
  'cursor',
  'search',
  'status',
  'direction',
  'category',
  'starred',
  'archived',
  'ownerUserId',
  'from',
  'to',
  'sortBy',
  'sortOrder',
  'companyId',
  'q',
  'role',
  'disabled',
  'matchOn',
  'action',
  'actorUserId',
  'provider',
  '__proto__',
  'constructor',
];

export const ABSURD_LIMITS = ['-1', '0', '101', '1e309', 'abc', '1.5', '', 'Infinity', '99999999999999999999', '1,5', '5abc'];
export const ABSURD_TIMES = ['99999-01-01T00:00:00Z', 'yesterday', '2024-13-45T00:00:00Z', '2024-02-30', 'now', '1e309', "2024-01-01' OR 1=1 --", ''];

/** JSON bodies: random values, deep nesting, huge and odd numbers, prototype keys. */
export const hostileJsonBody: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.integer({ min: 50, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 50, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom(
    '{"ids":[1e309]}',
    '{"olderThanDays":1e309,"dryRun":true}',
    '{"priority":1e309}',
    '{"priority":-0}',
    '{"limit":99999999999999999999999}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"tags":["a","a","a"]}',
    '{"ids":["\' OR 1=1 --"]}',
    '{"ownerUserId":"../../etc/passwd"}',
    '{"e164":"+1555\' OR 1=1 --","matchOn":"to"}',
    '{"name":"\\u0000"}',
    '{"legalHold":"true"}',
    '{',
    '{"a":1,}',
    'null',
    '[]',
    '"just a string"',
    '',
  ),
);

/** Bytes that are not valid UTF-8 (lone continuation bytes, overlongs, surrogates, truncated sequences). */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xff, 0xfe]), fc.string({ maxLength: 10 }))
  .map(([bytes, text]) => Buffer.concat([Buffer.from(`{"name":"${text}`), Buffer.from(bytes), Buffer.from('"}')]));
