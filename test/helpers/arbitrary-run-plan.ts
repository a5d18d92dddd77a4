/**
 * fast-check generator of random VALID plans meant to be RUN (not only validated): simulator
 * adapters only, every operation estimated, no step that waits for an operator
 * (`onFailure: pause` would stop a run for good under `--auto-approve`), plus a mode and a random
 * set of `--fault` options aimed at operations and VMs the plan actually uses.
 *
 * test/helpers/arbitrary-plan.ts (a colleague's) covers the whole plan language for validation;
 * this one trades breadth for control over what makes runs interesting: group DAGs, VM counts and
 * concurrency, `forEach` steps, retry policies (attempts, backoff, factor, maxBackoff), timeouts
 * shorter than the operation, `continue`/`abort` policies, per-mode steps, every test `cleanup`
 * setting, and faults with counts.
 *
 * Each case records what the properties need to know without re-reading the plan (step retry
 * policies by id), but the properties mostly work from `resolveExecution` of the validated plan.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { MODES, type ModeName } from '../../engine/model/plan.js';

type Doc = Record<string, unknown>;

/** Vendor operations the simulator instances declare, with their estimates in seconds. */
export const VENDOR_OPERATIONS = { check: 20, notify: 5, snapshot: 45, mark: 10 } as const;
type VendorOperation = keyof typeof VENDOR_OPERATIONS;
const VENDOR = Object.keys(VENDOR_OPERATIONS) as VendorOperation[];
const SITE_OPERATIONS = ['replicationHealth', 'shutdown', 'sync', 'failover', 'start', 'testFailover', 'cleanupTest'] as const;

export interface RetrySeed {
  attempts: number;
  backoffSec: number | undefined;
  factor: number | undefined;
  maxBackoffSec: number | undefined;
}

export interface RunStepSeed {
  kind: 'action' | 'gate' | 'manual' | 'run';
  operation: VendorOperation;
  /** 0: the source site instance, 1: the target instance (the same one without two sites). */
  instance: number;
  estimateSec: number;
  /** Timeout as a multiple of the estimate: below 1 it always times out, above it sometimes (jitter). */
  timeoutFactor: number | undefined;
  retry: RetrySeed | undefined;
  onFailure: 'abort' | 'continue' | undefined;
  modes: ModeName[] | undefined;
  forEach: boolean;
}

export interface RunGroupSeed {
  vmCount: number;
  concurrency: number | undefined;
  /** Explicit dependencies: a mask over earlier groups; undefined: the default chain. */
  depsMask: number | undefined;
  pre: RunStepSeed[];
  post: RunStepSeed[];
}

export interface RunPlanSeed {
  groups: RunGroupSeed[];
  prechecks: RunStepSeed[];
  finalize: RunStepSeed[];
  cleanup: RunStepSeed[];
  onFailure: RunStepSeed[];
  twoSites: boolean;
  testCleanup: 'always' | 'on-success' | 'manual';
  /** Simulated durations of the site operations, in seconds. */
  siteEstimatesSec: number[];
  jitter: number;
  seed: number;
}

const retrySeed: fc.Arbitrary<RetrySeed> = fc.record({
  attempts: fc.integer({ min: 1, max: 4 }),
  backoffSec: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
  factor: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  maxBackoffSec: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined, freq: 3 }),
});

const stepSeed: fc.Arbitrary<RunStepSeed> = fc.record({
  kind: fc.constantFrom('action', 'action', 'action', 'action', 'gate', 'manual', 'run'),
  operation: fc.constantFrom(...VENDOR),
  instance: fc.integer({ min: 0, max: 1 }),
  estimateSec: fc.integer({ min: 1, max: 300 }),
  timeoutFactor: fc.option(fc.constantFrom(0.5, 1.2, 2, 3), { nil: undefined, freq: 4 }),
  retry: fc.option(retrySeed, { nil: undefined, freq: 2 }),
  onFailure: fc.option(fc.constantFrom('abort' as const, 'continue' as const), { nil: undefined, freq: 3 }),
  modes: fc.option(fc.subarray([...MODES], { minLength: 1 }), { nil: undefined, freq: 4 }),
  forEach: fc.boolean(),
});

const steps = (max: number) => fc.array(stepSeed, { maxLength: max });

const groupSeed: fc.Arbitrary<RunGroupSeed> = fc.record({
  vmCount: fc.integer({ min: 0, max: 5 }),
  concurrency: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  depsMask: fc.option(fc.nat({ max: 15 }), { nil: undefined }),
  pre: steps(2),
  post: steps(2),
});

export const runPlanSeed: fc.Arbitrary<RunPlanSeed> = fc.record({
  groups: fc.array(groupSeed, { minLength: 1, maxLength: 5 }),
  prechecks: steps(2),
  finalize: steps(2),
  cleanup: steps(2),
  onFailure: steps(2),
  twoSites: fc.boolean(),
  testCleanup: fc.constantFrom('always' as const, 'always' as const, 'on-success' as const, 'manual' as const),
  siteEstimatesSec: fc.array(fc.integer({ min: 1, max: 180 }), { minLength: SITE_OPERATIONS.length, maxLength: SITE_OPERATIONS.length }),
  jitter: fc.constantFrom(0, 0.1, 0.5),
  seed: fc.nat({ max: 10_000 }),
});

/** What the properties learn from the seed: ids and policies as written. */
export interface BuiltRunPlan {
  yaml: string;
  doc: Doc;
  /** VM names by group id. */
  vms: Record<string, string[]>;
  instances: string[];
  /** Operations some step or VM of the plan calls (fault targets). */
  operations: string[];
}

export function buildRunPlan(seed: RunPlanSeed): BuiltRunPlan {
  const instances = seed.twoSites ? ['src', 'dst'] : ['site'];
  const siteOperations: Record<string, Doc> = {};
  SITE_OPERATIONS.forEach((op, i) => {
    siteOperations[op] = { estimate: `${seed.siteEstimatesSec[i]}s` };
  });
  for (const op of VENDOR) siteOperations[op] = { estimate: `${VENDOR_OPERATIONS[op]}s`, idempotent: op !== 'mark', output: { [`${op}Done`]: true } };
  const adapters: Doc = {};
  instances.forEach((name, i) => {
    adapters[name] = { type: 'simulator', config: { seed: seed.seed + i, jitter: seed.jitter, operations: siteOperations } };
  });

  let n = 0;
  const used = new Set<string>();
  const step = (s: RunStepSeed, section: string, inGroup: boolean): Doc => {
    const id = `${section}-${n++}`;
    const out: Doc = { id };
    switch (s.kind) {
      case 'action': {
        const instance = instances[s.instance % instances.length]!;
        out.action = `${instance}.${s.operation}`;
        used.add(s.operation);
        break;
      }
      case 'run':
        out.run = ['./scripts/check.sh', '{{plan.name}}'];
        used.add('exec');
        break;
      case 'gate':
        out.gate = { approvers: ['ops'], quorum: 1, timeout: '30m' };
        break;
      case 'manual':
        out.manual = { instructions: 'Do it by hand', assignees: ['alice'] };
        break;
    }
    out.estimate = `${s.estimateSec}s`;
    if (s.kind === 'action' || s.kind === 'run') {
      if (s.timeoutFactor !== undefined) out.timeout = `${Math.max(1, Math.round(s.estimateSec * s.timeoutFactor))}s`;
      if (s.retry) {
        out.retry = {
          attempts: s.retry.attempts,
          ...(s.retry.backoffSec === undefined ? {} : { backoff: `${s.retry.backoffSec}s` }),
          ...(s.retry.factor === undefined ? {} : { factor: s.retry.factor }),
          ...(s.retry.maxBackoffSec === undefined ? {} : { maxBackoff: `${s.retry.maxBackoffSec}s` }),
        };
      }
      if (s.onFailure) out.onFailure = s.onFailure;
    }
    if (s.modes) out.modes = s.modes;
    if (s.forEach && inGroup) out.forEach = 'vm';
    return out;
  };

  const vms: Record<string, string[]> = {};
  const groups = seed.groups.map((g, gi) => {
    const id = `g${gi}`;
    vms[id] = Array.from({ length: g.vmCount }, (_, v) => `${id}-vm${v}`);
    const group: Doc = { id };
    if (g.depsMask !== undefined) group.dependsOn = Array.from({ length: gi }, (_, i) => `g${i}`).filter((_, i) => (g.depsMask! >> i) & 1);
    group.vms = vms[id];
    if (g.concurrency !== undefined) group.concurrency = g.concurrency;
    const pre = g.pre.map((s) => step(s, `${id}-pre`, true));
    const post = g.post.map((s) => step(s, `${id}-post`, true));
    if (pre.length > 0) group.pre = pre;
    if (post.length > 0) group.post = post;
    return group;
  });

  const spec: Doc = {
    adapters,
    sites: { source: instances[0], target: instances.at(-1) },
    approvers: { ops: ['alice', 'bob'] },
    modes: { planned: {}, unplanned: { recoveryPoint: 'latest' }, test: { network: 'drill', cleanup: seed.testCleanup } },
  };
  const list = (seeds: RunStepSeed[], section: string) => seeds.map((s) => step(s, section, false));
  if (seed.prechecks.length > 0) spec.prechecks = list(seed.prechecks, 'pc');
  spec.groups = groups;
  if (seed.finalize.length > 0) spec.finalize = list(seed.finalize, 'fin');
  if (seed.cleanup.length > 0) spec.cleanup = list(seed.cleanup, 'clean');
  if (seed.onFailure.length > 0) spec.onFailure = list(seed.onFailure, 'onf');

  const doc: Doc = { apiVersion: 'drplan/v1', kind: 'RecoveryPlan', metadata: { name: `run-${seed.seed}` }, spec };
  for (const op of SITE_OPERATIONS) used.add(op);
  return { yaml: stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }), doc, vms, instances, operations: [...used].sort() };
}

/**
 * Random `--fault` options for a built plan: `[instance.]operation[:vm][:times]`, aimed at what
 * the plan calls, between none and four of them.
 */
export function arbitraryFaults(built: BuiltRunPlan): fc.Arbitrary<string[]> {
  const allVms = Object.values(built.vms).flat();
  const fault = fc.record({
    instance: fc.option(fc.constantFrom(...built.instances, 'run'), { nil: undefined, freq: 3 }),
    operation: fc.constantFrom(...built.operations),
    vm: allVms.length > 0 ? fc.option(fc.constantFrom(...allVms), { nil: undefined }) : fc.constant(undefined),
    times: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  });
  return fc.array(fault, { maxLength: 4 }).map((faults) =>
    faults.map((f) => {
      // `run` is the pseudo-instance of `run` steps, whose only operation is `exec`.
      const instance = f.instance === 'run' ? (f.operation === 'exec' ? 'run' : undefined) : f.instance;
      const target = `${instance ? `${instance}.` : ''}${f.operation}`;
      if (f.vm !== undefined) return `${target}:${f.vm}${f.times !== undefined ? `:${f.times}` : ''}`;
      return f.times !== undefined ? `${target}:${f.times}` : target;
    }),
  );
}

export interface RunCase {
  built: BuiltRunPlan;
  mode: ModeName;
  faults: string[];
}

/** A random plan, a mode, and faults for it. */
export const arbitraryRunCase: fc.Arbitrary<RunCase> = runPlanSeed
  .map(buildRunPlan)
  .chain((built) => fc.record({ built: fc.constant(built), mode: fc.constantFrom(...MODES), faults: arbitraryFaults(built) }));
