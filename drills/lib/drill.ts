import { sleep } from '../../bench/lib/child-process';
import { addSimRecordings, type SimRecordingHandle } from '../../bench/lib/stack';
import { createDrillWorld, type DrillWorld, type WorldOptions } from './drill-world';
import { recordingsWithoutFollowUps, verifyNothingLost, waitUntilStored } from './verify';
import { deliverWebhooks, type WebhookEvent } from './webhook-load';

export interface DrillResult {
  name: string;
  form: 'short' | 'full';
  sent: number;
  deliveries: number;
  acknowledged: number;
  /** Never acknowledged (the provider knows; it is not ours to lose). */
  refused: number;
  stored: number;
  duplicated: number;
  lost: number;
  /** From the end of the fault (or of the load) until every acknowledged recording was stored. */
  drainSeconds: number | undefined;
  /** Service processes that died on their own during the drill (each one a bug to fix). */
  crashes: number;
  seconds: number;
  notes: string[];
}

export interface Fault {
  /** When the fault starts, after the first webhook. */
  atMs: number;
  /** What the fault is, for the report. */
  describe: string;
  begin(world: DrillWorld): Promise<void>;
  /** How long the fault lasts before `end` (after `begin` resolved). */
  durationMs: number;
  end(world: DrillWorld): Promise<void>;
}

export interface DrillSpec {
  name: string;
  short: boolean;
  world?: WorldOptions;
  recordings: number;
  recordingSeconds: (index: number) => number;
  ratePerSecond: number;
  /** Callbacks to send; default: one `completed` recording callback per recording. */
  events?: (handles: SimRecordingHandle[]) => WebhookEvent[];
  concurrency?: number;
  fault?: Fault;
  /** How long after the fault (or the load) ends recordings may take to be stored. */
  drainTimeoutMs: number;
  /** Extra observations, e.g. recovery of the jobs a crash interrupted. */
  observe?: (world: DrillWorld, context: { faultStartedAt?: number; faultEndedAt?: number }) => Promise<string[]>;
}

/** The relay polls every second; a re-drive (where a drill runs one) takes longer. */
const FOLLOW_UP_DEADLINE_MS = 45_000;

/**
 * One drill: a world of its own, recordings in the simulator, callbacks at a steady rate with a
 * fault injected meanwhile, then the wait for the pipeline to drain and the end-to-end check of
 * every acknowledged callback.
 */
export async function runDrill(spec: DrillSpec): Promise<DrillResult> {
  const started = Date.now();
  const world = await createDrillWorld(spec.world);
  try {
    const handles = await addSimRecordings(world.sim, world.account.accountSid, spec.recordings, (i) => ({
      durationSeconds: spec.recordingSeconds(i),
      channels: 2,
    }));
    const events =
      spec.events?.(handles) ??
      handles.map((handle) => ({ recordingSid: handle.sid, path: '/webhooks/twilio/recording-status' as const, params: handle.recordingCompleted }));
    const loadSeconds = events.length / spec.ratePerSecond;
    let faultStartedAt: number | undefined;
    let faultEndedAt: number | undefined;
    const loadStart = Date.now();
    const phaseOf = (now: number) =>
      faultStartedAt === undefined || now < faultStartedAt ? 'before fault' : faultEndedAt === undefined || now < faultEndedAt ? 'during fault' : 'after fault';
    const faultRun = spec.fault
      ? (async () => {
          await sleep(spec.fault!.atMs);
          faultStartedAt = Date.now();
          await spec.fault!.begin(world);
          await sleep(spec.fault!.durationMs);
          await spec.fault!.end(world);
          faultEndedAt = Date.now();
        })()
      : Promise.resolve();
    const giveUpAt = loadStart + loadSeconds * 1000 + (spec.fault ? spec.fault.atMs + spec.fault.durationMs : 0) + 60_000;
    const [load] = await Promise.all([
      deliverWebhooks({
        ingestUrl: world.ingest.baseUrl,
        authToken: world.account.authToken,
        events,
        ratePerSecond: spec.ratePerSecond,
        concurrency: spec.concurrency ?? 32,
        giveUpAt,
        phaseOf: spec.fault ? phaseOf : () => 'all',
      }),
      faultRun,
    ]);
    const loadEndedAt = Date.now();
    const asks = (event: WebhookEvent) => event.expectsRecording !== false;
    const acknowledged = [...new Set(load.deliveries.filter((d) => d.acknowledgedAt !== undefined && asks(d.event)).map((d) => d.event.recordingSid))];
    const sent = new Set(events.filter(asks).map((event) => event.recordingSid)).size;
    const drainFrom = Math.max(faultEndedAt ?? 0, loadEndedAt);
    const drainedAt = await waitUntilStored(world, acknowledged, drainFrom + spec.drainTimeoutMs);
    const verification = await verifyNothingLost(world, acknowledged);
    const withoutFollowUps = await recordingsWithoutFollowUps(world, Date.now() + FOLLOW_UP_DEADLINE_MS);
    const notes: string[] = [];
    if (spec.fault)
      notes.push(
        `${spec.fault.describe} at +${((faultStartedAt! - loadStart) / 1000).toFixed(1)} s for ${((faultEndedAt! - faultStartedAt!) / 1000).toFixed(1)} s`,
      );
    for (const [phase, counts] of Object.entries(load.statuses)) {
      notes.push(
        `${phase}: ${Object.entries(counts)
          .map(([status, n]) => `${n}×${status}`)
          .join(', ')}`,
      );
    }
    if (spec.observe) notes.push(...(await spec.observe(world, { faultStartedAt, faultEndedAt })));
    for (const exit of world.unexpectedExits) notes.push(`CRASH (restarted by the drill's supervisor): ${exit}`);
    notes.push(...verification.notes);
    if (verification.lost > 0) notes.push(`lost, e.g.: ${verification.lostSamples.join('; ')}`);
    if (withoutFollowUps.length > 0)
      notes.push(
        `${withoutFollowUps.length} stored recordings never got their transcription and analytics jobs, e.g. ${withoutFollowUps.slice(0, 3).join(', ')}`,
      );
    if (drainedAt === undefined) notes.push(`did not drain within ${spec.drainTimeoutMs / 1000} s`);
    return {
      name: spec.name,
      form: spec.short ? 'short' : 'full',
      sent,
      deliveries: load.attempts,
      acknowledged: verification.acknowledged,
      refused: sent - acknowledged.length,
      stored: verification.stored,
      duplicated: verification.duplicated,
      // A stored recording whose follow-ups were lost never gets a transcript: lost work all the same.
      lost: verification.lost + withoutFollowUps.length,
      drainSeconds: drainedAt === undefined ? undefined : Math.max(0, (drainedAt - drainFrom) / 1000),
      crashes: world.unexpectedExits.length,
      seconds: (Date.now() - started) / 1000,
      notes,
    };
  } catch (error) {
    const tail = [world.ingest.process, ...world.fetchers.map((f) => f.process)].map((p) => `--- ${p.name}\n${p.tail().slice(-1500)}`).join('\n');
    throw new Error(`${spec.name} failed: ${error instanceof Error ? error.stack : String(error)}\n${tail}`);
  } finally {
    await world.close();
  }
}
