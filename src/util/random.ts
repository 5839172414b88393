/**
 * A tiny seeded random number generator, so that every sample, shuffle and bootstrap in the lab can be rerun
 * exactly. Math.random cannot be seeded, hence this.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * A seeded uniform generator (the "mulberry32" recipe: a 32-bit counter passed through an integer mixing
 * function). Good enough for sampling and bootstraps; not for cryptography. The seed is taken modulo 2^32.
 */
export function seededRandom(seed: number): Random {
  let state = Math.floor(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Random, n: number): number {
  return Math.floor(rng() * n);
}

/** A shuffled copy of the array (Fisher–Yates); the input is left untouched. */
export function shuffle<T>(items: readonly T[], rng: Random): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** `count` distinct items drawn at random, in random order (a partial Fisher–Yates shuffle). */
export function sampleWithoutReplacement<T>(items: readonly T[], count: number, rng: Random): T[] {
  if (count > items.length) throw new Error(`sampleWithoutReplacement: asked for ${count} of ${items.length} items`);
  const copy = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(rng, copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** A standard normal draw (Box–Muller; 1 − u keeps the logarithm away from 0). */
export function gaussian(rng: Random): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A seeded sample of `count` items kept in their original order: the positions are drawn with sampleWithoutReplacement and
 * sorted. All items (a copy) when count is at least their number. The one way the lab subsamples corpora and passages.
 */
export function sampleInOrder<T>(items: readonly T[], count: number, rng: Random): T[] {
  if (count < 0 || !Number.isInteger(count))
    throw new Error(`sampleInOrder: count must be a non-negative integer, got ${count}`);
  if (count >= items.length) return items.slice();
  const picked = sampleWithoutReplacement(
    items.map((_, i) => i),
    count,
    rng,
  );
  return picked.sort((a, b) => a - b).map((i) => items[i]);
}
