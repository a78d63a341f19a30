import fc from 'fast-check';

/** One call as the world generator draws it; ids and distinctive values are added when it is built. */
export interface CallShape {
  recording: 'stored' | 'pending' | 'failed' | 'none';
  direction: 'inbound' | 'outbound-api';
  daysAgo: number;
  durationSeconds: number;
  transcript: boolean;
}

export interface CompanyShape {
  /** Agents per manager: 1–2 managers with 1–3 agents each. */
  teams: number[];
  /** Calls per user, in the order admin, managers, then agents (team by team). */
  callsPerUser: CallShape[][];
  /** Calls no user owns: visible to the company admin and the superadmin only. */
  unownedCalls: CallShape[];
  /** Phone numbers in the registry; owned by a user of the company or by nobody. */
  registeredNumbers: number;
}

export interface WorldShape {
  companies: CompanyShape[];
}

const callShape: fc.Arbitrary<CallShape> = fc.record({
  recording: fc.constantFrom('stored', 'stored', 'stored', 'pending', 'failed', 'none'),
  direction: fc.constantFrom('inbound', 'outbound-api'),
  daysAgo: fc.integer({ min: 0, max: 40 }),
  durationSeconds: fc.integer({ min: 1, max: 900 }),
  transcript: fc.boolean(),
});

const MAX_USERS = 1 + 2 + 2 * 3;

const companyShape: fc.Arbitrary<CompanyShape> = fc.record({
  teams: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
  callsPerUser: fc.array(fc.array(callShape, { maxLength: 2 }), { minLength: MAX_USERS, maxLength: MAX_USERS }),
  unownedCalls: fc.array(callShape, { maxLength: 1 }),
  registeredNumbers: fc.integer({ min: 1, max: 3 }),
});

/** 2–4 companies, each with an admin, 1–2 managers with 1–3 agents each, calls, numbers. */
export const worldShape: fc.Arbitrary<WorldShape> = fc.record({ companies: fc.array(companyShape, { minLength: 2, maxLength: 4 }) });
