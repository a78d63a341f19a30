import { refreshRollups } from '@callvault/operations';
import { deliverTwilioWebhook } from '@callvault/simulator';
import { seedCompany, seedPhoneNumber, seedSuperadmin, seedTwilioAccount, seedUser, waitFor } from '@callvault/testing';
import type { PipelineStack } from './pipeline-stack';

export interface World {
  subjects: { agent1: string; agent2: string; agent3: string; manager: string; admin: string; superadmin: string; agentB: string };
  ids: { agent3: string; manager: string };
  /** Recording id per agent, each from one call carried through the whole pipeline. */
  recordings: { agent1: string; agent2: string; agent3: string; agentB: string };
}

/**
 * Company A: an admin, a manager with two agents, a third agent with no manager; company B: one
 * agent. One call per agent, sent as Twilio's signed callbacks and carried by the real services
 * until its recording is stored, transcribed (with redactions) and analysed.
 */
export async function seedWorld(stack: PipelineStack): Promise<World> {
  const { env, sim } = stack;
  const a = await seedCompany(env, 'Acme Dental');
  const b = await seedCompany(env, 'Other Clinic');
  const admin = await seedUser(env, a.id, 'company_admin');
  const manager = await seedUser(env, a.id, 'manager');
  const agent1 = await seedUser(env, a.id, 'agent', { managerId: manager.id });
  const agent2 = await seedUser(env, a.id, 'agent', { managerId: manager.id });
  const agent3 = await seedUser(env, a.id, 'agent');
  const agentB = await seedUser(env, b.id, 'agent');
  const superadmin = await seedSuperadmin(env);
  const names: Array<[string, string]> = [
    [admin.id, 'Ada Admin'],
    [manager.id, 'Max Manager'],
    [agent1.id, 'Alice Agent'],
    [agent2.id, 'Bob Agent'],
    [agent3.id, 'Cleo Agent'],
    [agentB.id, 'Other Agent'],
  ];
  for (const [id, name] of names) await env.ownerDb.updateTable('users').set({ name }).where('id', '=', id).execute();

  const calls: Array<{ company: string; owner: string; number: string }> = [
    { company: a.id, owner: agent1.id, number: '+13125550101' },
    { company: a.id, owner: agent2.id, number: '+13125550102' },
    { company: a.id, owner: agent3.id, number: '+13125550103' },
    { company: b.id, owner: agentB.id, number: '+14155550199' },
  ];
  const accounts = new Map<string, { accountSid: string; authToken: string }>();
  for (const company of [a.id, b.id]) {
    const account = sim.state.addAccount();
    await seedTwilioAccount(env, company, { accountSid: account.accountSid, authToken: account.authToken });
    accounts.set(company, account);
  }
  const sids: string[] = [];
  for (const call of calls) {
    await seedPhoneNumber(env, call.company, { e164: call.number, matchOn: 'to', ownerUserId: call.owner });
    const account = accounts.get(call.company)!;
    const recording = sim.state.addRecording(account.accountSid, { durationSeconds: 24, channels: 2 });
    const deliver = (path: string, params: Record<string, string>) =>
      deliverTwilioWebhook({ publicBaseUrl: env.config.PUBLIC_BASE_URL, targetBaseUrl: stack.ingestUrl, path, authToken: account.authToken, params });
    await deliver('/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from: '+14155550123', to: call.number }));
    await deliver('/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording));
    sids.push(recording.sid);
  }

  const done = await waitFor(
    async () => {
      const rows = await env.ownerDb
        .selectFrom('recordings')
        .innerJoin('transcripts', 'transcripts.recording_id', 'recordings.id')
        .innerJoin('call_metrics', 'call_metrics.recording_id', 'recordings.id')
        .select(['recordings.id', 'recordings.owner_user_id', 'transcripts.status'])
        .where('recordings.provider_recording_id', 'in', sids)
        .where('recordings.status', '=', 'stored')
        .where('transcripts.status', '=', 'completed')
        .execute();
      return rows.length === calls.length ? rows : undefined;
    },
    { what: 'every call stored, transcribed and analysed', timeoutMs: 60_000 },
  );
  // The statistics come from daily rollups, which the operations service refreshes on its schedule.
  await refreshRollups(env.db);
  const recordingOf = (owner: string) => done.find((row) => row.owner_user_id === owner)!.id;
  return {
    subjects: {
      agent1: agent1.subject,
      agent2: agent2.subject,
      agent3: agent3.subject,
      manager: manager.subject,
      admin: admin.subject,
      superadmin: superadmin.subject,
      agentB: agentB.subject,
    },
    ids: { agent3: agent3.id, manager: manager.id },
    recordings: { agent1: recordingOf(agent1.id), agent2: recordingOf(agent2.id), agent3: recordingOf(agent3.id), agentB: recordingOf(agentB.id) },
  };
}
