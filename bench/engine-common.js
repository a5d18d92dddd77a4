// Shared by the engine benchmarks (not a benchmark itself: no `.bench.js` suffix). Everything
// comes from dist/: the benchmarks measure the compiled engine, the way `drplan run` runs it.

import { builtinCatalog } from '../dist/adapters/catalog.js';
import { resolveExecution } from '../dist/engine/compile/resolve-execution.js';
import { loadPlanText } from '../dist/engine/load/load-plan.js';
import { openAdapters } from '../dist/engine/app/open-adapters.js';
import { startRun } from '../dist/engine/run/run-plan.js';
import { MemoryStore } from '../dist/engine/store/memory-store.js';
import { validatePlan } from '../dist/engine/validate/validate-plan.js';

export const SITE_OPERATIONS = ['replicationHealth', 'shutdown', 'sync', 'failover', 'start', 'testFailover', 'cleanupTest'];

export const noopLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** A seeded generator in [0, 1) (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A third-party adapter type for benchmarks. `config.durationsMs` (VM name → ms) makes `failover`
 * sleep that long on the run's clock; every other call (and every call without it) resolves at
 * once with `{}`: the engine's own cost is then all that is left to measure.
 */
export const benchAdapter = {
  type: 'bench',
  description: 'In-memory site for benchmarks: resolves at once, or sleeps a given time on the run clock.',
  configSchema: { type: 'object' },
  operations: () => Object.fromEntries([...SITE_OPERATIONS, 'noop'].map((op) => [op, { description: op, with: { type: 'object' }, idempotent: true }])),
  open(config) {
    const durations = config.durationsMs ?? null;
    return {
      async call(operation, input, ctx) {
        if (durations && operation === 'failover') await ctx.clock.sleep(durations[input.vm?.name] ?? 0, ctx.signal);
        return {};
      },
    };
  },
};

const catalog = new Map([...builtinCatalog, [benchAdapter.type, benchAdapter]]);
const registry = new Map([[benchAdapter.type, benchAdapter]]);

/** YAML text → validated plan (with the bench adapter known to validation). Throws on errors. */
export function planFromText(text, file) {
  const loaded = loadPlanText(text, file);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.source || errors.length > 0) throw new Error(`${file} does not load: ${errors.map((d) => d.message).join('; ')}`);
  const { plan, diagnostics } = validatePlan(loaded.source, catalog);
  if (!plan) throw new Error(`${file} is invalid: ${diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
  return plan;
}

/** A plan whose only work is `steps` sequential `site.noop` actions (one group, no VMs). */
export function sequentialStepsPlan(steps) {
  const lines = [
    'apiVersion: drplan/v1',
    'kind: RecoveryPlan',
    'metadata: { name: bench-steps }',
    'spec:',
    '  adapters:',
    '    site: { type: bench }',
    '  sites: { source: site, target: site }',
    '  modes: { unplanned: {} }',
    '  groups:',
    '    - { id: g, vms: [] }',
    '  finalize:',
  ];
  for (let i = 0; i < steps; i++) lines.push(`    - { id: s${i}, action: site.noop }`);
  return lines.join('\n') + '\n';
}

export const vmName = (group, vm) => `g${group}-vm${String(vm).padStart(4, '0')}`;

/** `groups` groups of `vms` VMs each, in a chain (the default `dependsOn`), `concurrency` at once. */
export function vmPlan({ groups, vms, concurrency, durationsMs }) {
  const lines = [
    'apiVersion: drplan/v1',
    'kind: RecoveryPlan',
    'metadata: { name: bench-vms }',
    'spec:',
    '  adapters:',
    durationsMs ? `    site: { type: bench, config: { durationsMs: ${JSON.stringify(durationsMs)} } }` : '    site: { type: bench }',
    '  sites: { source: site, target: site }',
    '  modes: { unplanned: {} }',
    '  groups:',
  ];
  for (let g = 0; g < groups; g++) {
    lines.push(`    - id: g${g}`);
    lines.push(`      concurrency: ${concurrency}`);
    lines.push(`      vms: [${Array.from({ length: vms }, (_, v) => vmName(g, v)).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** CPU time of this process so far (user + system, all threads: GC included), in ms. */
export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The resolved execution of a validated plan in unplanned mode (what `drplan run` compiles). */
export const unplannedExecution = (plan) => resolveExecution(plan, 'unplanned', {});

/**
 * Runs a resolved execution through the real runner and machine: the bench adapter opened for real
 * (not a dry-run), a MemoryStore journal, a no-op logger. Times the run alone, from `startRun`
 * (which builds the XState machine) to its result: wall ms and CPU ms.
 */
export async function runExecution(exec, { clock, nowMs }) {
  const opened = await openAdapters(exec.plan, { dryRun: false, faults: [], seed: 1, clock, logger: noopLogger, env: {}, adapters: registry });
  const journal = await new MemoryStore().create('bench');
  const c0 = cpuMs();
  const t0 = nowMs();
  const handle = startRun({
    exec,
    journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger: noopLogger,
    stopWhenWaiting: false,
    start: { runId: 'bench', plan: exec.plan.name, planFile: exec.plan.file, planDigest: 'bench', mode: 'unplanned', params: {}, initiator: 'bench', engineVersion: 'bench', dryRun: false, autoApprove: false, faults: [], simulated: clock.simulated },
  });
  const result = await handle.result;
  const wallMs = nowMs() - t0;
  const cpu = cpuMs() - c0;
  await opened.close();
  if (result.state !== 'succeeded') throw new Error(`the benchmark run ${result.state}: ${JSON.stringify(result.failure)}`);
  return { result, records: journal.records(), wallMs, cpuMs: cpu, instance: opened.adapters.get('site') };
}

/** The adapter calls the engine would make, as a plain sequential loop: the floor for the same work. */
export async function plainLoop(instance, calls) {
  const signal = new AbortController().signal;
  for (const [operation, input, stepId] of calls) {
    await instance.call(operation, input, { runId: 'loop', stepId, attempt: 1, idempotencyKey: `loop:${stepId}:1`, signal, logger: noopLogger, mode: 'unplanned' });
  }
}
