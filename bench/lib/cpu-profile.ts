import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from './report';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a script URL belongs to: an npm package, one of our packages/services, or Node itself. */
export function ownerOf(url: string): string {
  if (!url) return '(native/vm)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pnpm) return pnpm[1]!;
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (plain) return plain[1]!;
  const ours = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1] === 'packages' ? '@callvault/' : 'service:'}${ours[2]}`;
  if (url.startsWith('node:')) return 'node (internal)';
  return url.replace(/^file:\/\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  byOwner: Array<{ owner: string; ms: number }>;
  topSelf: Array<{ frame: string; ms: number }>;
  topInclusive: Array<{ frame: string; ms: number }>;
}

/** Self and inclusive time of a V8 .cpuprofile (written by `node --cpu-prof`). */
export function summarizeProfile(profile: CpuProfile, lastSeconds?: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let totalUs = 0;
  // Only the last `lastSeconds` of the profile (the measured load, not start-up and module loading).
  const times: number[] = [];
  let at = 0;
  for (const delta of profile.timeDeltas) {
    at += delta;
    times.push(at);
  }
  const from = lastSeconds === undefined ? -Infinity : at - lastSeconds * 1e6;
  for (let i = 0; i < profile.samples.length; i++) {
    if (times[i]! < from) continue;
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const frameOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${ownerOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
  };
  const idle = new Set(['(idle)', '(program)', '(root)']);
  const owners = new Map<string, number>();
  const selfFrames = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (idle.has(name)) continue;
    busyUs += us;
    const owner = name === '(garbage collector)' ? '(garbage collector)' : ownerOf(node.callFrame.url);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    selfFrames.set(frameOf(node), (selfFrames.get(frameOf(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = frameOf(byId.get(at)!);
      if (seen.has(frame) || idle.has(byId.get(at)!.callFrame.functionName)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + us);
    }
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => ({ key, ms: us / 1000 }));
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    byOwner: top(owners, 14).map(({ key, ms }) => ({ owner: key, ms })),
    topSelf: top(selfFrames, 14).map(({ key, ms }) => ({ frame: key, ms })),
    topInclusive: top(inclusive, 30).map(({ key, ms }) => ({ frame: key, ms })),
  };
}

/** Reads the (single) .cpuprofile a process wrote into `directory` on exit. */
export function readProfile(directory: string): CpuProfile {
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${directory}`);
  return JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
}

/** The profile's tables: self time by package, the hottest functions, and (optionally) inclusive time. */
export function printProfileTables(summary: ProfileSummary, options: { inclusive?: boolean } = {}): void {
  const share = (ms: number) => ((ms / summary.busyMs) * 100).toFixed(1);
  printTable(
    ['self time by package', 'ms', '% busy'],
    summary.byOwner.map((entry) => [entry.owner, entry.ms.toFixed(0), share(entry.ms)]),
  );
  console.log('');
  printTable(
    ['hottest functions (self)', 'ms', '% busy'],
    summary.topSelf.map((entry) => [entry.frame.slice(0, 110), entry.ms.toFixed(0), share(entry.ms)]),
  );
  if (!options.inclusive) return;
  console.log('');
  printTable(
    ['inclusive (function and everything it calls, per sample)', 'ms', '% busy'],
    summary.topInclusive.map((entry) => [entry.frame.slice(0, 110), entry.ms.toFixed(0), share(entry.ms)]),
  );
}
