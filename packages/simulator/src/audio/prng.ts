/**
 * Small seeded PRNG for the simulator's synthetic audio.
 *
 * Why not Math.random: the speech plan is the ground truth that analytics tests
 * compare against, so the same seed must always give the same conversation (and
 * the same bytes) on every machine and Node version. mulberry32 is tiny, fast,
 * has a full 2^32 period and is plenty for test-fixture randomness (it is NOT
 * cryptographic and is not meant to be).
 */
export type Rng = () => number;

/** Returns a generator of uniform floats in [0, 1). Only the low 32 bits of `seed` matter. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform float in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

/**
 * Derives an independent seed for a sub-stream (e.g. waveform tables vs. the plan),
 * so adding a draw in one place does not shift every value drawn in another.
 */
export function deriveSeed(seed: number, salt: number): number {
  // Multiplicative hash (golden-ratio constant) then an xorshift finaliser: cheap
  // and good enough to decorrelate mulberry32 streams started from nearby seeds.
  let h = Math.imul((seed ^ salt) >>> 0, 0x9e3779b1) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}
