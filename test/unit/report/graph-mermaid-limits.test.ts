import { describe, expect, it } from 'vitest';
import type { ExecStep, ExecutionPlan } from '../../../engine/model/execution.js';
import type { Plan } from '../../../engine/model/plan.js';
import { MERMAID_LIMITS, renderMermaid } from '../../../engine/report/graph-mermaid.js';

/** `groups` groups of `vms` VMs, each VM's failover after every start of the group before. */
function chainOfGroups(groups: number, vms: number): ExecutionPlan {
  const steps: ExecStep[] = [];
  let before: string[] = [];
  for (let g = 0; g < groups; g++) {
    const starts: string[] = [];
    for (let v = 0; v < vms; v++) {
      const base = { kind: 'vm', phase: 'groups', group: `g${g}`, vm: `vm-${v}`, adapter: 'site', skipped: false, estimateMs: 0, estimated: false, step: null, pool: `g${g}` } as const;
      steps.push({ ...base, id: `g${g}/vm-${v}/failover`, operation: 'failover', after: before });
      steps.push({ ...base, id: `g${g}/vm-${v}/start`, operation: 'start', after: [`g${g}/vm-${v}/failover`] });
      starts.push(`g${g}/vm-${v}/start`);
    }
    before = starts;
  }
  const plan = { name: 'big', groups: [] } as unknown as Plan;
  const pools = Object.fromEntries(Array.from({ length: groups }, (_, g) => [`g${g}`, 4]));
  return { plan, mode: 'planned', params: {}, steps, onFailure: [], pools, criticalPath: { steps: [], estimateMs: 0 }, objectives: { rtoMs: null, fits: null }, unestimated: [] };
}

const arrows = (text: string) => text.split('\n').filter((l) => / -\.?-> /.test(l)).length;

describe('renderMermaid within the forge limits', () => {
  it('leaves a plan that fits as it is', () => {
    const text = renderMermaid(chainOfGroups(3, 8));
    expect(text).not.toContain('collapsed so that');
    expect(text).toContain('vm-7');
  });

  it('collapses harder when the default threshold would exceed the limits, and says so', () => {
    const text = renderMermaid(chainOfGroups(40, 8));
    expect(arrows(text)).toBeLessThanOrEqual(MERMAID_LIMITS.edges);
    expect(text.length).toBeLessThanOrEqual(MERMAID_LIMITS.chars);
    expect(text).toMatch(/^ {2}%% groups of more than \d VMs collapsed so that the forge can draw this diagram$/m);
    expect(text).toContain('failover × 8 VMs (concurrency 4)');
  });

  it('keeps an explicit threshold and warns when the result is over the limits', () => {
    const text = renderMermaid(chainOfGroups(40, 8), { maxVmsPerGroup: 8 });
    expect(arrows(text)).toBeGreaterThan(MERMAID_LIMITS.edges);
    expect(text).not.toContain('collapsed so that');
    expect(text).toMatch(/^ {2}%% over Mermaid's default limits \(500 arrows, 50000 characters\): the forge may not draw it; try --format dot$/m);
  });
});
