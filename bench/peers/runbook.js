// One runbook description, the input of the peers benchmark: groups of steps, each step a real
// process with a seeded duration, each group with a concurrency and the groups it depends on.
// bench/peers/generate.js turns it into a drplan plan, an Ansible playbook and a bash script;
// bench/peers/schedule.js computes the ideal schedule it is measured against.
//
// Deterministic: the same options give the same runbook, duration for duration.

/**
 * @typedef {{ id: string, ms: number }} RunbookStep
 * @typedef {{ id: string, concurrency: number, dependsOn: string[], steps: RunbookStep[] }} RunbookGroup
 * @typedef {{ name: string, description: string, seed: number, groups: RunbookGroup[] }} Runbook
 * @typedef {{
 *   name: string,
 *   description?: string,
 *   steps: number,
 *   groups: number,
 *   concurrency: number,
 *   minMs: number,
 *   maxMs: number,
 *   seed?: number,
 *   layers?: number[],
 * }} RunbookOptions
 */

/**
 * Builds a runbook of `steps` steps spread evenly over `groups` groups (the first groups take one
 * more when it does not divide). Durations are drawn uniformly in [minMs, maxMs] from a seeded
 * stream. Without `layers` the groups form a chain (each depends on the one before, as a
 * runbook's sections do); with `layers` (group counts per layer, summing to `groups`) they form
 * a DAG: each group depends on one or two groups of the layer before, and every group of a layer
 * has at least one dependent in the next.
 *
 * @param {RunbookOptions} options
 * @returns {Runbook}
 *
 * @example
 * makeRunbook({ name: 'small', steps: 10, groups: 2, concurrency: 3, minMs: 50, maxMs: 500 });
 */
export function makeRunbook(options) {
  const { name, steps, groups, concurrency, minMs, maxMs } = options;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`runbook ${name}: steps must be a positive integer`);
  if (!Number.isInteger(groups) || groups < 1 || groups > steps) throw new Error(`runbook ${name}: groups must be an integer in 1..steps`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`runbook ${name}: concurrency must be a positive integer`);
  if (!(minMs >= 0 && maxMs >= minMs)) throw new Error(`runbook ${name}: need 0 <= minMs <= maxMs`);
  const random = mulberry32(seed);
  const width = String(groups).length < 2 ? 2 : String(groups).length;
  const stepWidth = String(Math.ceil(steps / groups)).length < 3 ? 3 : String(Math.ceil(steps / groups)).length;
  const ids = Array.from({ length: groups }, (_, i) => `g${String(i + 1).padStart(width, '0')}`);
  const dependsOn = options.layers ? layeredDag(ids, options.layers, random, name) : ids.map((_, i) => (i === 0 ? [] : [ids[i - 1]]));

  const out = [];
  for (let g = 0; g < groups; g++) {
    const count = Math.floor(steps / groups) + (g < steps % groups ? 1 : 0);
    const list = [];
    for (let s = 0; s < count; s++) {
      list.push({ id: `${ids[g]}-s${String(s + 1).padStart(stepWidth, '0')}`, ms: Math.round(minMs + random() * (maxMs - minMs)) });
    }
    out.push({ id: ids[g], concurrency, dependsOn: dependsOn[g], steps: list });
  }
  const shape = options.layers ? `a DAG in layers ${options.layers.join('-')}` : 'a chain';
  const description =
    options.description ??
    `${steps} steps in ${groups} group${groups === 1 ? '' : 's'} (${shape}), concurrency ${concurrency}, sleeps of ${minMs}-${maxMs} ms (seed ${seed})`;
  return { name, description, seed, groups: out };
}

/** Every step of a runbook, in document order. */
export function stepsOf(runbook) {
  return runbook.groups.flatMap((g) => g.steps);
}

/**
 * The groups in an order that respects `dependsOn` (Kahn's algorithm, ties by document order):
 * the order of the Ansible plays and of the bash script's sequential form.
 *
 * @param {Runbook} runbook
 * @returns {RunbookGroup[]}
 */
export function groupsInOrder(runbook) {
  const left = new Map(runbook.groups.map((g) => [g.id, new Set(g.dependsOn)]));
  const out = [];
  while (out.length < runbook.groups.length) {
    const next = runbook.groups.find((g) => !out.includes(g) && left.get(g.id)?.size === 0);
    if (!next) throw new Error(`runbook ${runbook.name}: the groups' dependencies form a cycle`);
    out.push(next);
    for (const deps of left.values()) deps.delete(next.id);
  }
  return out;
}

/** True when each group depends on exactly the one before it (the first on nothing). */
export function isChain(runbook) {
  return runbook.groups.every((g, i) => (i === 0 ? g.dependsOn.length === 0 : g.dependsOn.length === 1 && g.dependsOn[0] === runbook.groups[i - 1].id));
}

function layeredDag(ids, layers, random, name) {
  if (layers.reduce((a, b) => a + b, 0) !== ids.length || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`runbook ${name}: layers ${layers.join(',')} must be positive and add up to ${ids.length} groups`);
  }
  const byLayer = [];
  let next = 0;
  for (const n of layers) {
    byLayer.push(ids.slice(next, next + n));
    next += n;
  }
  const deps = new Map(ids.map((id) => [id, new Set()]));
  for (let l = 1; l < byLayer.length; l++) {
    const before = byLayer[l - 1];
    const here = byLayer[l];
    for (const id of here) {
      const first = before[Math.floor(random() * before.length)];
      deps.get(id).add(first);
      if (before.length > 1 && random() < 0.5) deps.get(id).add(before[Math.floor(random() * before.length)]);
    }
    // No dead end: a group of the layer before that nobody depends on is taken by one of this layer.
    for (const id of before) {
      if (!here.some((h) => deps.get(h).has(id))) deps.get(here[Math.floor(random() * here.length)]).add(id);
    }
  }
  return ids.map((id) => ids.filter((other) => deps.get(id).has(other)));
}

/** A small seeded PRNG (mulberry32): floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
