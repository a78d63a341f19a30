import type { FastifyInstance } from 'fastify';
import type { Company, User } from '@callvault/db';
import { createTestEnvironment, seedCompany, seedSuperadmin, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';
import { bearerCaller, type BearerCall } from '../bearer-caller';

/** Two companies, each with an admin, a manager and an agent, plus a superadmin: every role of the matrix. */
export interface AdminWorld {
  env: TestEnvironment;
  app: FastifyInstance;
  a: Company;
  b: Company;
  users: { adminA: User; managerA: User; agentA: User; adminB: User; managerB: User; agentB: User };
  tokens: { adminA: string; managerA: string; agentA: string; adminB: string; superadmin: string };
  superadminSubject: string;
  /** `app.inject` with the token's Bearer header; `body` is sent as JSON. */
  call: BearerCall;
  close(): Promise<void>;
}

export async function createAdminWorld(overrides: Record<string, string> = {}): Promise<AdminWorld> {
  const env = await createTestEnvironment(overrides);
  const app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  const a = await seedCompany(env, 'Company A');
  const b = await seedCompany(env, 'Company B');
  const adminA = await seedUser(env, a.id, 'company_admin');
  const managerA = await seedUser(env, a.id, 'manager');
  const agentA = await seedUser(env, a.id, 'agent', { managerId: managerA.id });
  const adminB = await seedUser(env, b.id, 'company_admin');
  const managerB = await seedUser(env, b.id, 'manager');
  const agentB = await seedUser(env, b.id, 'agent', { managerId: managerB.id });
  const superadmin = await seedSuperadmin(env);
  const tokens = {
    adminA: await tokenFor(env, adminA.subject),
    managerA: await tokenFor(env, managerA.subject),
    agentA: await tokenFor(env, agentA.subject),
    adminB: await tokenFor(env, adminB.subject),
    superadmin: await tokenFor(env, superadmin.subject),
  };
  return {
    env,
    app,
    a,
    b,
    users: { adminA, managerA, agentA, adminB, managerB, agentB },
    tokens,
    superadminSubject: superadmin.subject,
    call: bearerCaller(app, 'admin-test'),
    async close() {
      await app.close();
      await env.close();
    },
  };
}

/** The company's audit trail as the schema owner sees it, oldest first. */
export async function auditTrail(env: TestEnvironment, companyId: string, action?: string) {
  let query = env.ownerDb.selectFrom('audit_events').selectAll().where('company_id', '=', companyId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('created_at').orderBy('id').execute();
}
