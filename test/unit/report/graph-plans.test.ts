/**
 * The diagrams of the example plans, through the real pipeline (load → validate → resolve):
 * each declared mode draws, every step exactly once, with the shapes and frames its plan asks for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { resolveParams } from '../../../engine/compile/resolve-params.js';
import type { ExecutionPlan } from '../../../engine/model/execution.js';
import { MODES, type ModeName } from '../../../engine/model/plan.js';
import { renderDot } from '../../../engine/report/graph-dot.js';
import { renderMermaid } from '../../../engine/report/graph-mermaid.js';
import { buildGraphModel } from '../../../engine/report/graph-model.js';
import { validPlan } from '../../helpers/pipeline.js';

const PLANS = join(import.meta.dirname, '../../../plans');
const files = readdirSync(PLANS).filter((f) => f.endsWith('.yaml')).sort();

function execute(file: string, mode?: ModeName): ExecutionPlan[] {
  const plan = validPlan(readFileSync(join(PLANS, file), 'utf8'), `plans/${file}`);
  const modes = MODES.filter((m) => plan.modes[m] !== undefined && (mode === undefined || m === mode));
  return modes.map((m) => resolveExecution(plan, m, resolveParams(plan, {}).params));
}

const NODE = /^\s+(n_\w+)(\["|\(\("|\("|\{\{"|\[\/")[^"]*("\]|"\)\)|"\)|"\}\}|"\\\])$/;
const EDGE = /^\s+(n_\w+) -\.?-> (n_\w+)$/;

describe('graphs of the example plans', () => {
  it('finds the example plans', () => {
    expect(files).toContain('payments-eu.yaml');
  });

  for (const file of files) {
    it(`draws ${file} in every declared mode`, () => {
      for (const exec of execute(file)) {
        const model = buildGraphModel(exec);
        const drawn = model.nodes.flatMap((n) => n.steps).sort();
        expect(drawn, exec.mode).toEqual([...exec.steps, ...exec.onFailure].map((s) => s.id).sort());

        const text = renderMermaid(exec);
        const declared = new Map<string, string>();
        for (const line of text.split('\n')) {
          const node = NODE.exec(line);
          if (node) declared.set(node[1]!, node[2]!);
          const edge = EDGE.exec(line);
          if (edge) expect(declared.has(edge[1]!) && declared.has(edge[2]!), line).toBe(true);
        }
        const shapeOf = (kind: string) => model.nodes.filter((n) => n.kind === kind).map((n) => declared.get(n.id));
        expect(new Set(shapeOf('gate'))).toEqual(new Set(shapeOf('gate').length > 0 ? ['{{"'] : []));
        expect(new Set(shapeOf('manual'))).toEqual(new Set(shapeOf('manual').length > 0 ? ['[/"'] : []));
        expect(new Set(shapeOf('vm'))).toEqual(new Set(shapeOf('vm').length > 0 ? ['("'] : []));
        const skipped = [...exec.steps, ...exec.onFailure].filter((s) => s.skipped).length;
        expect(text.split(`(skipped in ${exec.mode})`).length - 1).toBe(skipped);
        expect(text.includes('subgraph cluster_on_failure'), exec.mode).toBe(exec.onFailure.length > 0);
        const groups = new Set(exec.steps.filter((s) => s.phase === 'groups' && s.group !== null).map((s) => s.group));
        for (const g of groups) expect(text).toContain(`subgraph ${model.clusters.find((c) => c.kind === 'group' && c.title.split(' · ')[0] === g)!.id} [`);

        const dot = renderDot(exec);
        expect(dot.match(/^\s+"n_\w+" \[label=/gm)?.length).toBe(declared.size);
      }
    });
  }

  it('draws payments-eu planned: reverse shutdown, sync, the dba gate before the database VMs, smoke before app', () => {
    const [exec] = execute('payments-eu.yaml', 'planned');
    const text = renderMermaid(exec!);
    const order = ['subgraph cluster_prechecks', 'subgraph cluster_shutdown ', 'subgraph cluster_shutdown_app', 'subgraph cluster_shutdown_database', 'subgraph cluster_sync ', 'subgraph cluster_group_database', 'subgraph cluster_group_app', 'subgraph cluster_finalize'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('n_dba_signoff{{"gate: dba-signoff · quorum 1 of dba<br/>timeout 30m"}}');
    expect(text).toMatch(/^ {2}n_dba_signoff --> n_database_pg_1_failover$/m);
    expect(text).toMatch(/^ {2}n_database_pg_2_start --> n_smoke$/m);
    expect(text).toMatch(/^ {2}n_smoke --> n_app_app_3_failover$/m);
    expect(text).toContain('n_mark_target_unusable["mark-target-unusable<br/>site.markUnusable"]');
  });

  it('collapses payments-eu app group below the threshold, and the arrows follow', () => {
    const [exec] = execute('payments-eu.yaml', 'test');
    const text = renderMermaid(exec!, { maxVmsPerGroup: 2 });
    expect(text).toContain('n_app_testFailover("testFailover × 3 VMs (concurrency 3)")');
    expect(text).toMatch(/^ {2}n_smoke --> n_app_testFailover$/m);
    expect(text).not.toContain('app-1');
  });
});
