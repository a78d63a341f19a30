/**
 * How hard the suite pushes. The defaults keep every file well inside the project's test budget
 * on two cores; raise them locally (ISOLATION_RUNS=5000 ISOLATION_WORLDS=5) for a longer hunt.
 * ISOLATION_SEED replays a run: every file prints the seed it used.
 */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const settings = {
  /** Random gateway requests per world in the property suite. */
  runs: positiveInt('ISOLATION_RUNS', 900),
  /** Random worlds the property suite builds, one after another. */
  worlds: positiveInt('ISOLATION_WORLDS', 2),
  /** Runs of the smaller properties (cursor replays, hostile inputs, tag tampering). */
  smallRuns: positiveInt('ISOLATION_SMALL_RUNS', 60),
  /** Action sequences of hostile company admins (each against fresh victim, decoy and attacker companies). */
  hostileRuns: positiveInt('ISOLATION_HOSTILE_RUNS', 40),
  seed: process.env.ISOLATION_SEED ? Number(process.env.ISOLATION_SEED) : Date.now() % 2_147_483_647,
};
