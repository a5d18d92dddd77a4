/**
 * Plans for the crash-torture harness (test/e2e/crash-torture.test.ts): a few generated shapes —
 * sequential steps, groups of VMs with concurrency and dependencies, flaky steps with retries —
 * whose `run` steps record their effect in a ledger file (test/fixtures/torture/ledger.sh) and
 * whose VM operations run on the simulator with tiny estimates on the real clock.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import { validPlan } from './pipeline.js';

export const LEDGER_SCRIPT = fileURLToPath(new URL('../fixtures/torture/ledger.sh', import.meta.url));

export type TortureMode = 'planned' | 'unplanned' | 'test';
export const TORTURE_MODES: readonly TortureMode[] = ['planned', 'unplanned', 'test'];

/** A `run` step: fails its first `failFirst` attempts (as the ledger counts them), has `attempts` in all. */
export interface LedgerStep {
  id: string;
  failFirst: number;
  attempts: number;
}

export interface TortureGroup {
  id: string;
  vms: string[];
  concurrency: number;
  /** `undefined`: the default (the group before); otherwise explicit, possibly empty. */
  dependsOn?: string[];
  pre: LedgerStep[];
  post: LedgerStep[];
  /** A `forEach: vm` run step in `post`, its copies `<id>/<vm>`. */
  forEach?: LedgerStep;
}

export interface TortureShape {
  kind: 'sequential' | 'groups' | 'retries' | 'failing';
  /** failover and testFailover declared idempotent (re-run after a crash) instead of reconcilable-but-unknown (pause). */
  vmIdempotent: boolean;
  prechecks: LedgerStep[];
  groups: TortureGroup[];
  finalize: LedgerStep[];
  /** Test mode's plan cleanup steps (after each VM's cleanupTest). */
  cleanup: LedgerStep[];
  onFailure: LedgerStep[];
}

const VM_OPS_ESTIMATES = '{ replicationHealth: 5ms, shutdown: 10ms, sync: 10ms, failover: 10ms, start: 10ms, testFailover: 10ms, cleanupTest: 10ms }';

/** The plan's YAML. The ledger file is the parameter `ledger`, so one plan serves several runs. */
export function tortureYaml(shape: TortureShape): string {
  const out: string[] = [];
  const w = (line: string) => out.push(line);
  w('apiVersion: drplan/v1');
  w('kind: RecoveryPlan');
  w('metadata:');
  w(`  name: torture-${shape.kind}`);
  w('spec:');
  w('  adapters:');
  w('    site:');
  w('      type: simulator');
  w(`      config: { seed: 7, jitter: 0.5${shape.vmIdempotent ? ', operations: { failover: { idempotent: true }, testFailover: { idempotent: true } }' : ''} }`);
  w(`      estimates: ${VM_OPS_ESTIMATES}`);
  w('  sites: { source: site, target: site }');
  w('  parameters:');
  w('    ledger: { type: string }');
  w('  modes: { planned: {}, unplanned: {}, test: { network: drill-net, cleanup: always } }');
  const list = (key: string, steps: readonly LedgerStep[], indent: number, forEach?: LedgerStep) => {
    if (steps.length === 0 && !forEach) return;
    const p = ' '.repeat(indent);
    w(`${p}${key}:`);
    for (const s of steps) stepLines(s, indent + 2, false).forEach(w);
    if (forEach) stepLines(forEach, indent + 2, true).forEach(w);
  };
  list('prechecks', shape.prechecks, 2);
  w('  groups:');
  for (const g of shape.groups) {
    w(`    - id: ${g.id}`);
    if (g.dependsOn) w(`      dependsOn: [${g.dependsOn.join(', ')}]`);
    w(`      vms: [${g.vms.join(', ')}]`);
    w(`      concurrency: ${g.concurrency}`);
    list('pre', g.pre, 6);
    list('post', g.post, 6, g.forEach);
  }
  list('finalize', shape.finalize, 2);
  list('cleanup', shape.cleanup, 2);
  list('onFailure', shape.onFailure, 2);
  return out.join('\n') + '\n';
}

function stepLines(s: LedgerStep, indent: number, forEach: boolean): string[] {
  const p = ' '.repeat(indent);
  const label = forEach ? `${s.id}/{{vm.name}}` : s.id;
  const argv = ['sh', JSON.stringify(LEDGER_SCRIPT), '"{{params.ledger}}"', '"{{run.id}}"', JSON.stringify(label)];
  if (s.failFirst > 0) argv.push('fail-first', `"${s.failFirst}"`);
  const lines = [`${p}- id: ${s.id}`];
  if (forEach) lines.push(`${p}  forEach: vm`);
  lines.push(`${p}  run: [${argv.join(', ')}]`);
  lines.push(`${p}  estimate: 20ms`);
  if (s.attempts > 1) lines.push(`${p}  retry: { attempts: ${s.attempts}, backoff: 10ms }`);
  return lines;
}

/**
 * Every step the run executes in `mode` (VM operations, forEach copies and onFailure handlers
 * included): whether it leaves its effect in the ledger, and whether its operation is declared
 * idempotent (so an in-doubt attempt may simply run again).
 */
export function tortureSteps(shape: TortureShape, mode: TortureMode): Map<string, { ledger: boolean; idempotent: boolean }> {
  const exec = resolveExecution(validPlan(tortureYaml(shape), 'plan.yaml'), mode, { ledger: 'ledger' });
  const steps = new Map<string, { ledger: boolean; idempotent: boolean }>();
  for (const s of [...exec.steps, ...exec.onFailure]) {
    if (s.skipped) continue;
    const declared = s.kind === 'run' ? undefined : exec.plan.adapters[s.adapter ?? '']?.operations[s.operation ?? ''];
    steps.set(s.id, { ledger: s.kind === 'run', idempotent: declared?.idempotent ?? false });
  }
  return steps;
}

// ---- arbitraries ---------------------------------------------------------------------------

/**
 * Attempts a flaky step has beyond those it needs. An operator's `drplan retry` journaled while no
 * engine runs makes the re-run a new attempt instead of the in-doubt one (engine bug, pinned by an
 * `it.fails` in crash-torture.test.ts), using up one attempt per kill at worst: with this slack the
 * run still ends as the uninterrupted one does. Set it to 0 once that is fixed.
 */
export const RETRY_SLACK = 0;

/** Flaky steps always have an attempt left to succeed: these shapes end succeeded. */
const flaky = (id: string, maxFail: number): fc.Arbitrary<LedgerStep> =>
  fc.integer({ min: 0, max: maxFail }).map((failFirst) => ({ id, failFirst, attempts: failFirst + 1 + RETRY_SLACK }));
const steady = (id: string): LedgerStep => ({ id, failFirst: 0, attempts: 1 });
const steadies = (prefix: string, min: number, max: number) => fc.integer({ min, max }).map((n) => Array.from({ length: n }, (_, i) => steady(`${prefix}${i + 1}`)));

const sequential: fc.Arbitrary<TortureShape> = fc
  .record({ vmIdempotent: fc.boolean(), prechecks: steadies('pre', 1, 2), pre: steadies('db-pre', 1, 2), post: steadies('db-post', 1, 2), finalize: steadies('fin', 1, 2), cleanup: steadies('clean', 0, 1) })
  .map((r) => ({
    kind: 'sequential' as const,
    vmIdempotent: r.vmIdempotent,
    prechecks: r.prechecks,
    groups: [{ id: 'db', vms: ['db-1'], concurrency: 1, pre: r.pre, post: r.post }],
    finalize: r.finalize,
    cleanup: r.cleanup,
    onFailure: [],
  }));

const groupsShape: fc.Arbitrary<TortureShape> = fc
  .record({
    vmIdempotent: fc.boolean(),
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }),
    concurrency: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    // for groups after the first: undefined = default (the one before), else which earlier ones
    deps: fc.array(fc.option(fc.subarray([0, 1]), { nil: undefined }), { minLength: 3, maxLength: 3 }),
    forEach: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    finalize: steadies('fin', 0, 1),
  })
  .map((r) => {
    const groups: TortureGroup[] = r.sizes.map((size, i) => {
      const id = `g${i + 1}`;
      const deps = i === 0 ? undefined : r.deps[i]?.filter((d) => d < i).map((d) => `g${d + 1}`);
      return {
        id,
        vms: Array.from({ length: size }, (_, v) => `${id}-vm${v + 1}`),
        concurrency: r.concurrency[i] ?? 1,
        ...(deps ? { dependsOn: deps } : {}),
        pre: i === 0 ? [steady(`${id}-pre`)] : [],
        post: [steady(`${id}-post`)],
        ...(r.forEach[i] ? { forEach: steady(`${id}-each`) } : {}),
      };
    });
    return { kind: 'groups' as const, vmIdempotent: r.vmIdempotent, prechecks: [], groups, finalize: r.finalize, cleanup: [steady('clean')], onFailure: [] };
  });

const retries: fc.Arbitrary<TortureShape> = fc
  .record({
    vmIdempotent: fc.boolean(),
    pre: flaky('pre1', 2),
    dbPre: flaky('db-pre', 2),
    dbEach: flaky('db-each', 1),
    size: fc.integer({ min: 1, max: 3 }),
    concurrency: fc.integer({ min: 1, max: 3 }),
    fin: flaky('fin1', 1),
  })
  .map((r) => ({
    kind: 'retries' as const,
    vmIdempotent: r.vmIdempotent,
    prechecks: [r.pre],
    groups: [{ id: 'db', vms: Array.from({ length: r.size }, (_, v) => `db-${v + 1}`), concurrency: r.concurrency, pre: [r.dbPre], post: [], forEach: r.dbEach }],
    finalize: [r.fin],
    cleanup: [steady('clean')],
    onFailure: [],
  }));

/** Shapes whose uninterrupted run succeeds. */
export const succeedingShape: fc.Arbitrary<TortureShape> = fc.oneof(sequential, groupsShape, retries);
