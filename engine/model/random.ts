/**
 * The one source of randomness in drplan: a seeded PRNG, so that a dry-run with the same seed
 * simulates the same durations and a recorded journal can be reproduced. The generator is
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, used by PractRand), seeded through
 * splitmix32 so that nearby seeds (1, 2, 3…) still start far apart.
 */

const TWO_TO_32 = 2 ** 32;

/**
 * A generator of numbers in [0, 1), fully determined by `seed` (an integer, normally).
 *
 * @example
 * ```ts
 * const random = createRandom(7);
 * const jitter = 1 + 0.1 * (2 * random() - 1); // the same on every run with seed 7
 * ```
 */
export function createRandom(seed: number): () => number {
  const [lo, hi] = seedWords(seed);
  // splitmix32 is a bijection of its counter, so `a` identifies `lo` and `b` then identifies
  // `hi`: distinct seeds never share a starting state.
  const mix = splitmix32(lo);
  let a = mix();
  let b = (mix() ^ fmix32(hi)) | 0;
  let c = mix();
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The generator's first outputs still echo the seed; the reference implementation discards them.
  for (let i = 0; i < 15; i++) next();
  return () => next() / TWO_TO_32;
}

/**
 * A seed for an independent stream named `label` under `seed`: each adapter instance, step or VM
 * draws from its own stream, so adding a VM or reordering concurrent work does not shift the
 * numbers everyone else gets.
 *
 * @example
 * ```ts
 * const random = createRandom(deriveSeed(7, 'site/database/pg-1/failover'));
 * ```
 */
export function deriveSeed(seed: number, label: string): number {
  // FNV-1a over the label's UTF-16 code units, then both halves of the seed folded in with
  // murmur3's finaliser so that one changed bit anywhere changes about half the result.
  let h = fnv1a(label);
  const [lo, hi] = seedWords(seed);
  h = fmix32(h ^ lo);
  h = fmix32(h ^ Math.imul(hi, 0x85ebca6b) ^ label.length);
  return h >>> 0;
}

/**
 * The low and high 32-bit words of a seed. Safe integers (negative ones wrap) keep their value;
 * any other number (a fraction, 1e21, NaN) is hashed from its text into a high word no safe
 * integer has, so every number is a usable seed and none collides with an integer seed.
 */
function seedWords(seed: number): [number, number] {
  if (Number.isSafeInteger(seed)) return [seed >>> 0, Math.floor(seed / TWO_TO_32) >>> 0];
  return [fnv1a(String(seed)), 0x8000_0000];
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function fmix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
