import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecKind, ExecStep, ExecutionPlan, Phase } from '../../../engine/model/execution.js';
import type { ModeName, Plan, PlanStep } from '../../../engine/model/plan.js';
import { renderDot } from '../../../engine/report/graph-dot.js';
import { renderMermaid } from '../../../engine/report/graph-mermaid.js';
import { buildGraphModel, type GraphCluster, type GraphOptions } from '../../../engine/report/graph-model.js';

// Random execution plans, well-formed or not: hostile ids, VMs without groups, arrows forward,
// backward, into cycles and to steps that do not exist. A diagram must come out of all of them.

const PHASES: Phase[] = ['prechecks', 'shutdown', 'sync', 'groups', 'finalize', 'cleanup'];
const KINDS: ExecKind[] = ['action', 'run', 'gate', 'manual', 'vm'];
const hostile = fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', '/', '.', '"', '<', '>', '#', '|', '[', ']', '{', '}', '(', '%', '`', '\\', ' ', '\n', 'é', 'end', ';', '&'), minLength: 1, maxLength: 6 });

const stepSpec = fc.record({
  id: hostile,
  kind: fc.constantFrom(...KINDS),
  phase: fc.nat(PHASES.length - 1),
  group: fc.option(fc.constantFrom('g1', 'g/2', 'end'), { nil: null }),
  vm: fc.option(fc.constantFrom('v1', 'v.2', 'v"3', 'v4', 'v5'), { nil: null }),
  skipped: fc.boolean(),
  after: fc.array(fc.nat(40), { maxLength: 3 }),
  dangling: fc.boolean(),
  /** Waits for every step of the phase before its own: the many-to-many shape junctions are for. */
  barrier: fc.boolean(),
  withSource: fc.boolean(),
  label: hostile,
});
type Spec = typeof stepSpec extends fc.Arbitrary<infer T> ? T : never;

const execArb = fc
  .record({
    specs: fc.uniqueArray(stepSpec, { maxLength: 30, selector: (s) => s.id }),
    failures: fc.nat(4),
    name: hostile,
    mode: fc.constantFrom<ModeName>('planned', 'unplanned', 'test'),
    pool: fc.integer({ min: 1, max: 9 }),
    /** Three phases, each step after every step of the phase before: many-to-many everywhere. */
    layered: fc.boolean(),
  })
  .map(({ specs, failures, name, mode, pool, layered }): ExecutionPlan => {
    if (layered) specs = specs.map((s) => ({ ...s, phase: s.phase % 3, barrier: true }));
    const main = specs.slice(failures).sort((a, b) => a.phase - b.phase);
    const failure = specs.slice(0, failures);
    const ids = specs.map((s) => s.id);
    const barrier = (s: Spec): string[] => (s.barrier ? main.filter((m) => m.phase === s.phase - 1).map((m) => m.id) : []);
    const toStep = (s: Spec, phase: Phase): ExecStep => ({
      id: s.id,
      kind: s.kind,
      phase,
      group: s.group,
      vm: s.vm,
      operation: s.kind === 'vm' || s.kind === 'action' ? s.label : null,
      adapter: s.kind === 'action' ? 'site' : null,
      skipped: s.skipped,
      after: s.barrier ? barrier(s) : [...s.after.map((i) => ids[i % ids.length]!), ...(s.dangling ? ['ghost/step'] : [])],
      estimateMs: 0,
      estimated: false,
      step: s.withSource ? planStep(s) : null,
      pool: s.group,
    });
    const plan = { name, groups: [{ id: 'g1', name: name, vms: [] }] } as unknown as Plan;
    return {
      plan,
      mode,
      params: {},
      steps: main.map((s) => toStep(s, PHASES[s.phase]!)),
      onFailure: failure.map((s) => toStep(s, 'onFailure')),
      pools: { g1: pool, 'g/2': pool + 1 },
      criticalPath: { steps: [], estimateMs: 0 },
      objectives: { rtoMs: null, fits: null },
      unestimated: [],
    };
  });

function planStep(s: Spec): PlanStep | null {
  const base = { id: s.id, pointer: '', section: 'pre', group: s.group, modes: null, retry: { attempts: 1, backoffMs: 0, factor: 1 }, forEach: s.vm !== null };
  switch (s.kind) {
    case 'gate':
      return { ...base, kind: 'gate', gate: { approvers: [s.label], principals: [], quorum: 2, timeoutMs: 1000, onTimeout: { escalate: { approvers: [s.label], principals: [], quorum: 1 } }, allowInitiator: false } } as PlanStep;
    case 'manual':
      return { ...base, kind: 'manual', manual: { instructions: s.label, assignees: [s.label], principals: null } } as PlanStep;
    case 'run':
      return { ...base, kind: 'run', argv: [s.label, s.label], script: s.skipped } as PlanStep;
    default:
      return null;
  }
}

const optionsArb = fc.record({ maxVmsPerGroup: fc.integer({ min: 0, max: 4 }), reduceEdges: fc.boolean() }) satisfies fc.Arbitrary<GraphOptions>;

const MERMAID_NODE = /^\s+(n_\w+)(?:\["|\("|\(\("|\{\{"|\[\/")[^"]*(?:"\]|"\)|"\)\)|"\}\}|"\\\])$/;
const MERMAID_EDGE = /^\s+(n_\w+) -\.?-> (n_\w+)$/;
const MERMAID_OTHER = [/^flowchart TD$/, /^\s+%% [^\n]*$/, /^\s+subgraph cluster_\w+ \["[^"]*"\]$/, /^\s+end$/, /^\s+classDef \w+ [\w:#,\- ]+$/, /^\s+class n_\w+(,n_\w+)* \w+$/, /^\s+style cluster_\w+ [\w:#,\- ]+$/];

describe('graph renderers on random execution plans', () => {
  it('draw every step once, collapse only crowded groups, and draw only arrows that `after` implies', () => {
    fc.assert(
      fc.property(execArb, optionsArb, (exec, options) => {
        const model = buildGraphModel(exec, options);
        const all = [...exec.steps, ...exec.onFailure];

        // Every step is drawn by exactly one node; a step has a node of its own unless its group is crowded.
        const nodeOf = new Map<string, string>();
        for (const n of model.nodes) for (const id of n.steps) {
          expect(nodeOf.has(id), `drawn twice: ${id}`).toBe(false);
          nodeOf.set(id, n.id);
        }
        expect([...nodeOf.keys()].sort()).toEqual(all.map((s) => s.id).sort());
        const crowded = crowdedGroups(exec.steps, options.maxVmsPerGroup);
        for (const s of all) {
          const node = model.nodes.find((n) => n.id === nodeOf.get(s.id))!;
          const collapses = exec.steps.includes(s) && s.group !== null && s.vm !== null && crowded.has(s.group);
          expect(node.batch !== null, s.id).toBe(collapses);
          if (!collapses) expect(node.steps).toEqual([s.id]);
        }

        // Every node sits in exactly one frame, or (a junction between frames) in none.
        const framed = [...walk(model.clusters), ...model.unframed];
        expect(framed.sort()).toEqual(model.nodes.map((n) => n.id).sort());

        // The arrows are those `after` implies between nodes, none into or out of the failure frame.
        const failureIds = new Set(exec.onFailure.map((s) => s.id));
        const implied = new Set<string>();
        for (const s of all) for (const dep of s.after) {
          const from = nodeOf.get(dep);
          const to = nodeOf.get(s.id)!;
          if (from !== undefined && from !== to && failureIds.has(dep) === failureIds.has(s.id)) implied.add(`${from}>${to}`);
        }
        const drawn = new Set(model.edges.map((e) => `${e.from}>${e.to}`));
        expect(drawn.size).toBe(model.edges.length);
        const junctions = new Set(model.nodes.filter((n) => n.kind === 'join').map((n) => n.id));
        for (const e of model.edges) if (!junctions.has(e.from) && !junctions.has(e.to)) expect(implied.has(`${e.from}>${e.to}`)).toBe(true);
        for (const j of junctions) {
          expect(model.edges.filter((e) => e.to === j).length).toBeGreaterThanOrEqual(2);
          expect(model.edges.filter((e) => e.from === j).length).toBeGreaterThanOrEqual(2);
        }
        const steps = model.nodes.filter((n) => n.kind !== 'join').map((n) => n.id);
        const real = (pairs: Set<string>) => new Set([...pairs].filter((p) => p.split('>').every((id) => !junctions.has(id))));
        if (options.reduceEdges) expect(real(closure([...steps, ...junctions], drawn))).toEqual(closure(steps, implied));
        else expect(drawn).toEqual(implied);
        if (!options.reduceEdges) expect(junctions.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('produce Mermaid and DOT whose every arrow refers to a declared node', () => {
    fc.assert(
      fc.property(execArb, optionsArb, (exec, options) => {
        const mermaid = renderMermaid(exec, options);
        const declared = new Set<string>();
        for (const line of mermaid.trimEnd().split('\n')) {
          const node = MERMAID_NODE.exec(line);
          const edge = MERMAID_EDGE.exec(line);
          expect(node !== null || edge !== null || MERMAID_OTHER.some((re) => re.test(line)), line).toBe(true);
          if (node) {
            expect(declared.has(node[1]!)).toBe(false);
            declared.add(node[1]!);
          }
          if (edge) expect(declared.has(edge[1]!) && declared.has(edge[2]!), line).toBe(true);
        }

        const dot = renderDot(exec, options);
        const dotNodes = [...dot.matchAll(/^\s+"(n_\w+)" \[label="(?:[^"\\]|\\.)*"/gm)].map((m) => m[1]!);
        expect(dotNodes.sort()).toEqual([...declared].sort());
        for (const m of dot.matchAll(/^\s+"(n_\w+)" -> "(n_\w+)"/gm)) expect(declared.has(m[1]!) && declared.has(m[2]!)).toBe(true);
        expect(dot.split('\n').filter((l) => /^\s+"n_\w+" \[/.test(l)).every((l) => /^\s+"n_\w+" \[(\w+="(?:[^"\\]|\\.)*")(, \w+="(?:[^"\\]|\\.)*")*\];$/.test(l))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('are deterministic', () => {
    fc.assert(
      fc.property(execArb, optionsArb, (exec, options) => {
        expect(renderMermaid(structuredClone(exec), options)).toBe(renderMermaid(exec, options));
        expect(renderDot(structuredClone(exec), options)).toBe(renderDot(exec, options));
      }),
      { numRuns: 100 },
    );
  });
});

function crowdedGroups(steps: ExecStep[], max: number): Set<string> {
  const vms = new Map<string, Set<string>>();
  for (const s of steps) if (s.group !== null && s.vm !== null) vms.set(s.group, new Set([...(vms.get(s.group) ?? []), s.vm]));
  return new Set([...vms].filter(([, v]) => v.size > max).map(([g]) => g));
}

function walk(clusters: GraphCluster[]): string[] {
  return clusters.flatMap((c) => [...c.nodes, ...walk(c.clusters)]);
}

function closure(nodes: string[], edges: Set<string>): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const [from, to] = e.split('>') as [string, string];
    out.set(from, [...(out.get(from) ?? []), to]);
  }
  const pairs = new Set<string>();
  for (const start of nodes) {
    const stack = [start];
    const seen = new Set<string>();
    while (stack.length > 0) for (const v of out.get(stack.pop()!) ?? []) if (!seen.has(v)) (seen.add(v), stack.push(v));
    for (const v of seen) pairs.add(`${start}>${v}`);
  }
  return pairs;
}
