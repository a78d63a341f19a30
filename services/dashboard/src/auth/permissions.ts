export type Role = 'agent' | 'manager' | 'company_admin' | 'superadmin';

/** What each role may do, as the gateway enforces it (the contract's route table); the UI only hides what would be refused. */
const RULES = {
  deleteRecording: ['manager', 'company_admin', 'superadmin'],
  rerun: ['manager', 'company_admin', 'superadmin'],
  legalHold: ['company_admin'],
  administer: ['company_admin', 'superadmin'],
  settings: ['company_admin', 'superadmin'],
  platform: ['superadmin'],
  filterByOwner: ['manager', 'company_admin', 'superadmin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof RULES;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (RULES[permission] as readonly Role[]).includes(role);
}
