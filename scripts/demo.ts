import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createGatewayClient, type GatewayClient } from '@callvault/api-client';
import { mintToken } from '@callvault/auth';
import { loadConfig } from '@callvault/config';
import { createDb, createPlatformAdmin, withPlatform } from '@callvault/db';
import { deliverTwilioWebhook } from '@callvault/simulator';
import { loadOrCreateLocalSecrets } from './local-secrets';

/**
 * `pnpm demo [--calls N] [--exit]`: three demo companies, each with a company_admin, a manager,
 * two agents reporting to the manager, a simulated Twilio account and a number per agent, all
 * created through the gateway API as a superadmin. It drives N calls per company through ingest
 * with signed callbacks, waits until every recording is stored, transcribed and analysed, and
 * prints a summary and a token per role. Starts the local stack (`pnpm start`) when the gateway
 * does not answer, and leaves it running until Ctrl-C (`--exit`: stops it at the end).
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = process.env.CALLVAULT_DATA_DIR ?? join(root, '.local');
const env = { ...loadOrCreateLocalSecrets(dataDir), ...process.env };
const config = loadConfig(env, ['SECRETS_KEY', 'TAG_SIGNING_KEY', 'AUTH_JWT_SECRET']);
const gatewayUrl = 'http://127.0.0.1:3000';
const simUrl = `http://127.0.0.1:${process.env.SIM_PORT ?? 3010}`;
const readyUrls = [3000, 3001, 3002, 3003, 3004].map((port) => `http://127.0.0.1:${port}/readyz`).concat(`${simUrl}/healthz`);
const callsPerCompany = Number(argument('--calls') ?? process.env.DEMO_CALLS ?? 4);
const exitAtEnd = process.argv.includes('--exit');
const TOKEN_TTL_SECONDS = 8 * 3600;
const run = randomBytes(2).toString('hex');
const COMPANIES = ['Acme Dental', 'Birch Legal', 'Cedar Clinic'];

let stack: ChildProcess | undefined;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_500) })).ok;
  } catch {
    return false;
  }
}

async function stopStack(): Promise<void> {
  if (!stack || stack.exitCode !== null || stack.signalCode !== null) return;
  const exited = new Promise((r) => stack!.once('exit', r));
  stack.kill('SIGTERM');
  await exited;
}

process.on('SIGINT', () => void stopStack().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopStack().then(() => process.exit(143)));

/** Uses the running stack, or starts `pnpm start` as a child with its log in .local/demo-stack.log. */
async function ensureStack(): Promise<void> {
  const up = await Promise.all(readyUrls.map(answers));
  if (up.every(Boolean)) return void console.log('using the running local stack');
  if (up.some(Boolean))
    throw new Error(
      `part of the stack answers but not ${readyUrls.filter((_, i) => !up[i]).join(', ')}: stop it or start it whole with \`npx -y pnpm@10 start\``,
    );
  const logFile = join(dataDir, 'demo-stack.log');
  console.log(`starting the local stack (npx -y pnpm@10 start; log: ${logFile}) ...`);
  const log = openSync(logFile, 'a');
  stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/local-start.ts'], { cwd: root, env: process.env, stdio: ['ignore', log, log] });
  closeSync(log);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (stack.exitCode !== null) throw new Error(`the local stack exited (${stack.exitCode}); last lines of ${logFile}:\n${tail(logFile)}`);
    if ((await Promise.all(readyUrls.map(answers))).every(Boolean)) return void console.log('local stack ready');
    await sleep(500);
  }
  throw new Error(`the local stack was not ready within 180 s; see ${logFile}`);
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
}

/** The gateway through its typed client (generated from its OpenAPI document), as one bearer token. */
const clientAs = (token: string): GatewayClient => createGatewayClient({ baseUrl: gatewayUrl, token: () => token });

/** The body of a successful answer; anything else throws with the status and the problem the gateway sent. */
async function ok<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok || data === undefined)
    throw Object.assign(new Error(`${new URL(response.url).pathname} → ${response.status} ${JSON.stringify(error)}`), { status: response.status });
  return data;
}

async function sim<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${simUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`simulator ${path} → ${response.status}`);
  return (await response.json()) as T;
}

interface Member {
  role: 'company_admin' | 'manager' | 'agent';
  label: string;
  id: string;
  subject: string;
  token: string;
  number?: string;
}

interface DemoCompany {
  name: string;
  id: string;
  members: Member[];
  twilio: { accountSid: string; authToken: string };
}

const tokenOf = (subject: string) => mintToken({ secret: config.AUTH_JWT_SECRET!, subject, ttlSeconds: TOKEN_TTL_SECONDS });

/** Everything through the gateway API as the superadmin: company, users, Twilio settings, numbers. */
async function createCompany(superToken: string, name: string): Promise<DemoCompany> {
  const gateway = clientAs(superToken);
  const company = await ok(gateway.POST('/v1/companies', { body: { name: `${name} (demo ${run})`, retentionDays: 90 } }));
  const inCompany = { params: { query: { companyId: company.id } } };
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const member = async (role: Member['role'], label: string, managerId?: string): Promise<Member> => {
    const subject = `demo-${run}-${slug}-${label}`;
    const user = await ok(
      gateway.POST('/v1/users', {
        body: { companyId: company.id, subject, email: `${label}@${slug}.example`, name: `${label} (${name})`, role, ...(managerId ? { managerId } : {}) },
      }),
    );
    return { role, label, id: user.id, subject, token: await tokenOf(subject) };
  };
  const admin = await member('company_admin', 'admin');
  const manager = await member('manager', 'manager');
  const agents = [await member('agent', 'agent1', manager.id), await member('agent', 'agent2', manager.id)];
  const twilio = await sim<{ accountSid: string; authToken: string }>('/_sim/accounts', {});
  await ok(gateway.PUT('/v1/settings/twilio', { ...inCompany, body: { accountSid: twilio.accountSid, authToken: twilio.authToken } }));
  for (const agent of agents) {
    // A number belongs to one company at most: draw again on the rare collision with an earlier run.
    for (let attempt = 0; !agent.number; attempt++) {
      const e164 = `+1312555${String(randomInt(10_000)).padStart(4, '0')}`;
      // The company's Twilio account owns the line: callvault checks that before registering it.
      await sim(`/_sim/accounts/${twilio.accountSid}/incoming-numbers`, { phoneNumber: e164, friendlyName: `${agent.label} direct line` });
      try {
        await ok(
          gateway.POST('/v1/phone-numbers', { ...inCompany, body: { e164, matchOn: 'to', ownerUserId: agent.id, label: `${agent.label} direct line` } }),
        );
        agent.number = e164;
      } catch (error) {
        if ((error as { status?: number }).status !== 409 || attempt > 10) throw error;
      }
    }
  }
  return { name: `${name} (demo ${run})`, id: company.id, members: [admin, manager, ...agents], twilio };
}

/** One inbound call to an agent's number: the signed call-status and recording-status callbacks Twilio would send. */
async function driveCall(company: DemoCompany, agent: Member, index: number): Promise<number[]> {
  const recording = await sim<{ callSid: string; recordingCompleted: Record<string, string> }>(`/_sim/accounts/${company.twilio.accountSid}/recordings`, {
    durationSeconds: 20 + randomInt(40),
    channels: 2,
  });
  const send = (path: string, params: Record<string, string>) =>
    deliverTwilioWebhook({ publicBaseUrl: config.PUBLIC_BASE_URL, path, authToken: company.twilio.authToken, params }).then((r) => r.status);
  const statuses = [
    await send('/webhooks/twilio/call-status', {
      AccountSid: company.twilio.accountSid,
      CallSid: recording.callSid,
      CallStatus: 'completed',
      Direction: 'inbound',
      From: `+1415555${String(1000 + index).padStart(4, '0')}`,
      To: agent.number!,
      CallDuration: recording.recordingCompleted.RecordingDuration ?? '30',
      SequenceNumber: '3',
    }),
    await send('/webhooks/twilio/recording-status', recording.recordingCompleted),
  ];
  // Twilio retries: the first call's callback is delivered twice to show it has one effect.
  if (index === 0) statuses.push(await send('/webhooks/twilio/recording-status', recording.recordingCompleted));
  return statuses;
}

/** The part of a recording's call metrics the summary reads (the API types them as an open object). */
type AudioMetrics = { audio?: { talkRatio?: number | null } } | null;

interface CompanySummary {
  calls: number;
  stored: number;
  transcripts: number;
  transcriptsSettled: number;
  analysed: number;
  talkRatios: number[];
  visible: Record<string, number>;
}

async function summarize(company: DemoCompany): Promise<CompanySummary> {
  const admin = clientAs(company.members[0]!.token);
  const calls = (await ok(admin.GET('/v1/calls', { params: { query: { limit: 100 } } }))).items;
  const details = await Promise.all(calls.map((call) => ok(admin.GET('/v1/calls/{id}', { params: { path: { id: call.id } } }))));
  const recordings = details.flatMap((detail) => detail.recordings).map((recording) => ({ ...recording, analytics: recording.analytics as AudioMetrics }));
  const visible: Record<string, number> = {};
  for (const member of company.members)
    visible[member.label] = (await ok(clientAs(member.token).GET('/v1/recordings', { params: { query: { limit: 100 } } }))).items.length;
  return {
    calls: calls.length,
    stored: recordings.filter((r) => r.status === 'stored').length,
    transcripts: recordings.filter((r) => r.transcript?.status === 'completed').length,
    transcriptsSettled: recordings.filter((r) => r.transcript && r.transcript.status !== 'pending').length,
    analysed: recordings.filter((r) => r.analytics !== null).length,
    talkRatios: recordings.flatMap((r) => (typeof r.analytics?.audio?.talkRatio === 'number' ? [r.analytics.audio.talkRatio] : [])),
    visible,
  };
}

async function main(): Promise<void> {
  await ensureStack();
  const operator = `demo-operator-${run}`;
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 1, applicationName: 'callvault-demo' });
  try {
    await withPlatform(db, (tx) => createPlatformAdmin(tx, { subject: operator, name: 'Demo operator' }));
  } finally {
    await db.destroy();
  }
  const superToken = await tokenOf(operator);

  const companies: DemoCompany[] = [];
  for (const name of COMPANIES) companies.push(await createCompany(superToken, name));
  console.log(`created ${companies.length} companies with 4 users, a Twilio account and 2 numbers each (through the gateway API)`);

  const statuses: number[] = [];
  for (const company of companies) {
    const agents = company.members.filter((m) => m.role === 'agent');
    for (let i = 0; i < callsPerCompany; i++) statuses.push(...(await driveCall(company, agents[i % agents.length]!, i)));
  }
  const byStatus: Record<number, number> = {};
  for (const status of statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
  console.log(
    `sent ${statuses.length} signed callbacks to ingest: ${Object.entries(byStatus)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ')}`,
  );

  if (statuses.every((status) => status >= 500)) {
    throw new Error(
      `ingest stored no event (every callback answered ${statuses[0]}): see the ingest log${stack ? ` in ${join(dataDir, 'demo-stack.log')}` : ''}`,
    );
  }
  process.stdout.write('waiting for recordings to be stored, transcribed and analysed ');
  const deadline = Date.now() + 180_000;
  let summaries: CompanySummary[] = [];
  for (;;) {
    summaries = await Promise.all(companies.map(summarize));
    const done = summaries.every((s) => s.calls === callsPerCompany && s.stored === s.calls && s.transcriptsSettled === s.calls && s.analysed === s.calls);
    if (done || Date.now() > deadline) break;
    process.stdout.write('.');
    await sleep(2_000);
  }
  process.stdout.write('\n\n');
  printSummary(companies, summaries);
  printAccess(companies, operator, superToken);
}

function printSummary(companies: DemoCompany[], summaries: CompanySummary[]): void {
  const header = ['company', 'calls', 'stored', 'transcripts', 'analysed', 'avg talk ratio', 'recordings visible to admin/manager/agent1/agent2'];
  const rows = companies.map((company, i) => {
    const s = summaries[i]!;
    const ratio = s.talkRatios.length ? (s.talkRatios.reduce((a, b) => a + b, 0) / s.talkRatios.length).toFixed(2) : '-';
    return [company.name, s.calls, s.stored, s.transcripts, s.analysed, ratio, ['admin', 'manager', 'agent1', 'agent2'].map((l) => s.visible[l]).join('/')].map(
      String,
    );
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  const incomplete = summaries.some((s) => s.calls < callsPerCompany || s.stored < s.calls || s.transcriptsSettled < s.calls || s.analysed < s.calls);
  if (incomplete) {
    console.log("\nsome work was still pending after 180 s: see the workers' logs and http://127.0.0.1:3000/admin/queues");
    process.exitCode = 1;
  }
  console.log('(talk ratio: agent talk / all talk; a manager sees the calls of both agents, an agent only its own)');
}

/** One development sign-in link per role: the superadmin, and each member of the first company. */
function dashboardLinks(companies: DemoCompany[], superToken: string): string[] {
  const [first] = companies;
  const link = (token: string) => `${gatewayUrl}/app#token=${token}`;
  return [`  superadmin: ${link(superToken)}`, ...(first?.members ?? []).map((member) => `  ${member.label} of ${first!.name}: ${link(member.token)}`)];
}

function printAccess(companies: DemoCompany[], operator: string, superToken: string): void {
  const lines = [`CV_SUPERADMIN=${superToken}`];
  for (const company of companies) {
    const key = company.name.split(' ')[0]!.toUpperCase();
    for (const member of company.members) lines.push(`CV_${key}_${member.label.toUpperCase()}=${member.token}`);
  }
  const tokenFile = join(dataDir, 'demo-tokens.env');
  writeFileSync(tokenFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  const [first] = companies;
  const key = first!.name.split(' ')[0]!.toUpperCase();
  console.log(`
Tokens (valid ${TOKEN_TTL_SECONDS / 3600} h), one per role and company, are in ${tokenFile}:
  set -a; . ${tokenFile}; set +a

  # superadmin (${operator}): every company, audited
  curl -s -H "authorization: Bearer $CV_SUPERADMIN" ${gatewayUrl}/v1/companies
  # company_admin of ${first!.name}: the whole company
  curl -s -H "authorization: Bearer $CV_${key}_ADMIN" ${gatewayUrl}/v1/recordings/stats
  # manager: own calls and their agents' calls
  curl -s -H "authorization: Bearer $CV_${key}_MANAGER" ${gatewayUrl}/v1/calls
  # agent: own calls only, and a full-text search over their transcripts
  curl -s -H "authorization: Bearer $CV_${key}_AGENT1" ${gatewayUrl}/v1/recordings
  curl -s -H "authorization: Bearer $CV_${key}_AGENT1" "${gatewayUrl}/v1/search?q=appointment"

Dashboard: ${gatewayUrl}/app; sign in with one link per role (the token rides in the URL fragment,
which the browser never sends; the app moves it to this tab's session storage):
${dashboardLinks(companies, superToken).join('\n')}

Queues (Bull Board): open ${gatewayUrl}/admin/sign-in and paste $CV_SUPERADMIN
Metrics: curl -s ${gatewayUrl}/metrics | grep '^callvault_'   (also :3001 ingest, :3002 fetcher, :3003 transcriber, :3004 analytics)
API docs: ${gatewayUrl}/docs`);
}

try {
  await main();
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
if (stack && !exitAtEnd && process.exitCode !== 1) {
  console.log(`\nThe local stack started by the demo keeps running (log: ${join(dataDir, 'demo-stack.log')}); Ctrl-C stops it.`);
  await new Promise(() => undefined);
} else {
  await stopStack();
}
